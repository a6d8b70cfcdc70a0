package dev.valkeyrie.cli;

import dev.valkeyrie.store.WriteOptions;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
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

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "VALUE",
      description = "The value; - reads standard input.")
  String value;

  @Option(
      names = {"-f", "--file"},
      paramLabel = "FILE",
      description = "Read the value from FILE.")
  Path file;

  @Option(
      names = "--ttl",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Delete the key after this long (whole seconds, rounded up), e.g. 30s.")
  Duration ttl;

  @Option(
      names = "--dir",
      description = "Create a directory (etcd v2 keeps keys and directories apart).")
  boolean dir;

  private byte[] bytes;

  @Override
  void check() {
    if (dir) {
      if (value != null || file != null) {
        throw new UsageException("--dir creates a directory, which has no value: drop VALUE");
      }
    } else {
      bytes = ValueInput.read(value, file, io().in());
    }
  }

  @Override
  int run(StoreSession session, Output out) {
    WriteOptions options =
        WriteOptions.builder().isDir(dir).ttl(ttl == null ? Duration.ZERO : ttl).build();
    session.store().put(key, bytes, options);
    return ExitCodes.OK;
  }
}
