package dev.valkeyrie.etcd.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Decides which etcd binary to run and checks that it exists. */
final class EtcdBinary {
  static final String ENV_VARIABLE = "VALKEYRIE_ETCD_BINARY";
  static final Path DEFAULT = Path.of("/usr/bin/etcd");

  private final Path path;
  private final String source;

  private EtcdBinary(Path path, String source) {
    this.path = path;
    this.source = source;
  }

  /** An explicit path wins, then the environment variable, then {@link #DEFAULT}. */
  static EtcdBinary resolve(@Nullable Path explicit, Map<String, String> env) {
    if (explicit != null) {
      return new EtcdBinary(explicit, "set with EtcdCluster.Builder.etcdBinary");
    }
    String fromEnv = env.get(ENV_VARIABLE);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return new EtcdBinary(Path.of(fromEnv.trim()), "from environment variable " + ENV_VARIABLE);
    }
    return new EtcdBinary(DEFAULT, "the default location");
  }

  Path path() {
    return path;
  }

  /**
   * @throws EtcdNotInstalledException if the binary is missing or not executable
   */
  EtcdBinary requireInstalled() {
    if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
      throw notInstalled();
    }
    return this;
  }

  EtcdNotInstalledException notInstalled() {
    return new EtcdNotInstalledException(path, source);
  }
}
