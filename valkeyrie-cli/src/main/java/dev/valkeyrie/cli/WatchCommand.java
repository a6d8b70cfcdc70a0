package dev.valkeyrie.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code watch KEY}: {@code Store.watchEvents}, printed until interrupted. */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    abbreviateSynopsis = true,
    header = "Print a key, then each change, until Ctrl-C.",
    description = {
      "One line per event, as it arrives:",
      "  current|create|modify KEY = VALUE (index N), delete|expire KEY (index N)",
      "-o json: {\"event\":..,\"key\":..,\"value\":..,\"index\":..} per line. Runs until"
          + " interrupted: Ctrl-C (or SIGTERM) ends it with exit 0. Exit 1 if KEY does not exist"
          + " when the watch starts."
    })
final class WatchCommand extends StoreCommand {

  @Parameters(index = "0", paramLabel = "KEY", description = "The key.")
  String key;

  @Override
  boolean endsOnSignal() {
    return true;
  }

  @Override
  int run(StoreSession session, Output out) throws InterruptedException {
    return PrintedWatch.run(() -> session.store().watchEvents(key, null), Updates::of, out);
  }
}
