package dev.valkeyrie.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code put KEY VALUE}: {@code Store.put}. */
@Command(
    name = "put",
    mixinStandardHelpOptions = true,
    abbreviateSynopsis = true,
    header = "Write a value under a key.",
    description = {
      "Parent directories are created as needed. Prints nothing.",
      "VALUE - reads standard input, --file reads a file, both byte for byte. etcd v2 stores"
          + " UTF-8 text: other bytes are refused (exit 2); encode binary data, e.g. as Base64.",
      "--dir creates a directory instead (no VALUE), which watch-tree can watch."
    })
final class PutCommand extends StoreCommand {

  @Parameters(index = "0", paramLabel = "KEY", description = "The key, a /-separated path.")
  String key;

  /** VALUE, --file and --ttl. */
  @Mixin WriteArguments write = new WriteArguments();

  @Option(
      names = "--dir",
      description = "Create a directory (etcd v2 keeps keys and directories apart).")
  boolean dir;

  private byte[] bytes;

  @Override
  void check() {
    if (dir) {
      if (write.valueGiven()) {
        throw new UsageException("--dir creates a directory, which has no value: drop VALUE");
      }
    } else {
      bytes = write.read(io().in());
    }
  }

  @Override
  int run(StoreSession session, Output out) {
    session.store().put(key, bytes, write.options().isDir(dir).build());
    return ExitCodes.OK;
  }
}
