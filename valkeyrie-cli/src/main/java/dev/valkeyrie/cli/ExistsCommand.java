package dev.valkeyrie.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code exists KEY}: {@code Store.exists}, as an exit code. */
@Command(
    name = "exists",
    mixinStandardHelpOptions = true,
    abbreviateSynopsis = true,
    header = "Tell by the exit code whether a key exists.",
    description = {
      "Exit 0 if KEY (or a directory of that name) exists, 1 if not; prints nothing (-o json:"
          + " {\"key\":..,\"exists\":..}). For scripts: if valkeyrie exists KEY; then ..."
    })
final class ExistsCommand extends StoreCommand {

  @Parameters(index = "0", paramLabel = "KEY", description = "The key.")
  String key;

  @Override
  int run(StoreSession session, Output out) {
    boolean exists = session.store().exists(key);
    if (out.json()) {
      out.exists(key, exists);
    }
    return exists ? ExitCodes.OK : ExitCodes.NO;
  }
}
