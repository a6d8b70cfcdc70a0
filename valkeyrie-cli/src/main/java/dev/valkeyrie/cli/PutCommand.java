package dev.valkeyrie.cli;

import org.jspecify.annotations.Nullable;
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
      "Parent directories are created as needed (etcd v2). Prints nothing.",
      "VALUE - reads standard input, --file reads a file, both byte for byte. etcd v2 stores"
          + " UTF-8 text: other bytes are refused (exit 2); encode binary data, e.g. as Base64."
          + " etcd v3 stores any bytes.",
      "--dir creates a directory instead (no VALUE), which watch-tree can watch. etcd v3 has no"
          + " directories: --dir creates the key with an empty value unless it exists, and takes"
          + " no --ttl."
    })
final class PutCommand extends StoreCommand {

  @Parameters(index = "0", paramLabel = "KEY", description = "The key, a /-separated path.")
  String key;

  /** VALUE, --file and --ttl. */
  @Mixin WriteArguments write = new WriteArguments();

  @Option(
      names = "--dir",
      description =
          "Create a directory (etcd v2 keeps keys and directories apart; on etcd v3, an empty"
              + " key).")
  boolean dir;

  private byte @Nullable [] bytes; // read by check(); none for --dir

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
  void check(Backend backend) {
    if (dir && write.ttl != null && backend == Backend.ETCDV3) {
      throw new UsageException(
          "--dir with --ttl needs --backend etcdv2: an etcd v3 lease cannot remove the keys below"
              + " a directory");
    }
  }

  @Override
  int run(StoreSession session, Output out) {
    session.store().put(key, bytes, write.options().isDir(dir).build());
    return ExitCodes.OK;
  }
}
