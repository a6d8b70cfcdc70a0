package dev.valkeyrie.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code watch-tree DIR}: {@code Store.watchTreeEvents}, printed until interrupted. */
@Command(
    name = "watch-tree",
    mixinStandardHelpOptions = true,
    abbreviateSynopsis = true,
    header = "Print a directory, then each change below it, until Ctrl-C.",
    description = {
      "First every entry below DIR (current), then one line per key that changes, as it arrives:",
      "  current|create|modify KEY = VALUE (index N), delete|expire KEY (index N)",
      "Directories are entries too (shown without a value); deleting one shows a line for it and"
          + " for each entry below it. -o json: one {\"event\",\"key\",\"value\",\"index\"}"
          + " object per line. Runs until interrupted: Ctrl-C (or SIGTERM) ends it with exit 0."
          + " Exit 1 if DIR does not exist when the watch starts (create it with put DIR --dir)."
    })
final class WatchTreeCommand extends StoreCommand {

  @Parameters(index = "0", paramLabel = "DIR", description = "The directory.")
  String directory;

  @Override
  boolean endsOnSignal() {
    return true;
  }

  @Override
  int run(StoreSession session, Output out) throws InterruptedException {
    return PrintedWatch.run(
        () -> session.store().watchTreeEvents(directory, null), Updates::of, out);
  }
}
