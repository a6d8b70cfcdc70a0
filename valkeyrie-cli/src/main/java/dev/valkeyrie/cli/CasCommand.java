package dev.valkeyrie.cli;

import dev.valkeyrie.store.KVPair;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cas KEY VALUE}: {@code Store.atomicPut}. */
@Command(
    name = "cas",
    mixinStandardHelpOptions = true,
    abbreviateSynopsis = true,
    header = "Compare-and-swap; prints the new index.",
    description = {
      "Writes VALUE under KEY only if KEY is as expected, and prints the new index (-o json:"
          + " {\"key\",\"value\",\"index\"}).",
      "Exit 1 if the comparison fails (KEY changed, was deleted, or exists with --create)."
    })
final class CasCommand extends StoreCommand {

  @Parameters(index = "0", paramLabel = "KEY", description = "The key.")
  String key;

  /** VALUE, --file and --ttl, as put has them. */
  @Mixin WriteArguments write = new WriteArguments();

  @ArgGroup(exclusive = true, multiplicity = "1")
  CasCondition condition;

  /** {@code --prev-index N}, {@code --prev-value V} or {@code --create}: exactly one. */
  static final class CasCondition extends Comparison {
    @Option(names = "--create", description = "Only if KEY does not exist yet.")
    boolean create;
  }

  private byte @Nullable [] bytes; // read by check()

  @Override
  void check() {
    condition.check();
    bytes = write.read(io().in());
  }

  @Override
  int run(StoreSession session, Output out) {
    KVPair previous = condition.create ? null : condition.previous(session.store(), key);
    KVPair written =
        session
            .store()
            .atomicPut(
                key, Objects.requireNonNull(bytes, "bytes"), previous, write.options().build());
    if (out.json()) {
      out.pair(written);
    } else {
      out.line(Long.toString(written.lastIndex()));
    }
    return ExitCodes.OK;
  }
}
