package dev.valkeyrie.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code rmtree DIR}: {@code Store.deleteTree}. */
@Command(
    name = "rmtree",
    mixinStandardHelpOptions = true,
    abbreviateSynopsis = true,
    header = "Delete a directory and everything below it.",
    description = "Prints nothing. Exit 1 if DIR does not exist.")
final class RmtreeCommand extends StoreCommand {

  @Parameters(index = "0", paramLabel = "DIR", description = "The directory.")
  String directory;

  @Override
  int run(StoreSession session, Output out) {
    session.store().deleteTree(directory);
    return ExitCodes.OK;
  }
}
