package dev.valkeyrie.cli;

import dev.valkeyrie.store.KVPair;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code get KEY}: {@code Store.get}. */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    abbreviateSynopsis = true,
    header = "Print a key's value.",
    description = {
      "Prints the value and a newline; --raw prints the stored bytes exactly.",
      "-o json prints {\"key\":..,\"value\":..,\"index\":..}; the index is what cas --prev-index"
          + " and cad --prev-index compare against. Exit 1 if the key does not exist."
    })
final class GetCommand extends StoreCommand {

  @Parameters(index = "0", paramLabel = "KEY", description = "The key.")
  String key;

  @Option(names = "--raw", description = "Print the value's bytes only, without a newline.")
  boolean raw;

  @Override
  int run(StoreSession session, Output out) {
    KVPair pair = session.store().get(key);
    if (out.json()) {
      out.pair(pair);
    } else if (raw) {
      out.raw(pair.value());
    } else {
      byte[] value = pair.value();
      byte[] line = new byte[value.length + 1];
      System.arraycopy(value, 0, line, 0, value.length);
      line[value.length] = (byte) '\n';
      out.raw(line);
    }
    return ExitCodes.OK;
  }
}
