package dev.valkeyrie.cli;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code cad KEY}: {@code Store.atomicDelete}. */
@Command(
    name = "cad",
    mixinStandardHelpOptions = true,
    abbreviateSynopsis = true,
    header = "Compare-and-delete.",
    description = {
      "Deletes KEY only if it is as expected. Prints nothing.",
      "Exit 1 if the comparison fails (KEY changed or was deleted)."
    })
final class CadCommand extends StoreCommand {

  @Parameters(index = "0", paramLabel = "KEY", description = "The key.")
  String key;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Comparison condition;

  @Override
  void check() {
    condition.check();
  }

  @Override
  int run(StoreSession session, Output out) {
    session.store().atomicDelete(key, condition.previous(session.store(), key));
    return ExitCodes.OK;
  }
}
