package dev.valkeyrie.cli;

import dev.valkeyrie.store.KeyTypeException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code rm KEY}: {@code Store.delete}. */
@Command(
    name = "rm",
    mixinStandardHelpOptions = true,
    abbreviateSynopsis = true,
    header = "Delete a key.",
    description = {
      "Also deletes an empty directory. Prints nothing.",
      "Exit 1 if the key does not exist, or is a directory that is not empty (use rmtree)."
    })
final class RmCommand extends StoreCommand {

  @Parameters(index = "0", paramLabel = "KEY", description = "The key.")
  String key;

  @Override
  int run(StoreSession session, Output out) {
    try {
      session.store().delete(key);
    } catch (KeyTypeException e) {
      throw new KeyTypeException(
          e.getMessage()
              + "; to delete it and everything below it, use"
              + " 'valkeyrie rmtree "
              + key
              + "'",
          e);
    }
    return ExitCodes.OK;
  }
}
