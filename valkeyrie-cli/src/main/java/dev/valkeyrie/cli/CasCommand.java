package dev.valkeyrie.cli;

import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.WriteOptions;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
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

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "VALUE",
      description = "The new value; - reads standard input.")
  String value;

  @Option(
      names = {"-f", "--file"},
      paramLabel = "FILE",
      description = "Read the new value from FILE.")
  Path file;

  @Option(
      names = "--ttl",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Delete the key after this long, e.g. 30s.")
  Duration ttl;

  @ArgGroup(exclusive = true, multiplicity = "1")
  CasCondition condition;

  /** {@code --prev-index N}, {@code --prev-value V} or {@code --create}: exactly one. */
  static final class CasCondition extends Comparison {
    @Option(names = "--create", description = "Only if KEY does not exist yet.")
    boolean create;
  }

  private byte[] bytes;

  @Override
  void check() {
    condition.check();
    bytes = ValueInput.read(value, file, io().in());
  }

  @Override
  int run(StoreSession session, Output out) {
    KVPair previous = condition.create ? null : condition.previous(session.store(), key);
    WriteOptions options = WriteOptions.builder().ttl(ttl == null ? Duration.ZERO : ttl).build();
    KVPair written = session.store().atomicPut(key, bytes, previous, options);
    if (out.json()) {
      out.pair(written);
    } else {
      out.line(Long.toString(written.lastIndex()));
    }
    return ExitCodes.OK;
  }
}
