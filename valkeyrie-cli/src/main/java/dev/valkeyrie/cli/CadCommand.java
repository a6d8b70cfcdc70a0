package dev.valkeyrie.cli;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code cad KEY}: {@code Store.atomicDelete}. */
@Command(
    name = "cad",
    mixinStandardHelpOptions = true,
    abbreviateSynopsis = true,
    header = "Compare-and-delete; prints the index of the deletion.",
    description = {
      "Deletes KEY only if it is as expected, and prints the index of the deletion (-o json:"
          + " {\"key\",\"index\"}).",
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
    long index = session.store().atomicDelete(key, condition.previous(session.store(), key));
    if (out.json()) {
      out.object(
          g -> {
            g.writeStringField("key", key);
            g.writeNumberField("index", index);
          });
    } else {
      out.line(Long.toString(index));
    }
    return ExitCodes.OK;
  }
}
