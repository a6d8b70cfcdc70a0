package dev.valkeyrie.etcd.launcher;

import java.nio.file.Path;

/**
 * The etcd binary is missing or not executable. The message names the path that was checked and how
 * to install etcd.
 */
public final class EtcdNotInstalledException extends EtcdStartException {
  private static final long serialVersionUID = 1L;

  EtcdNotInstalledException(Path binary, String source) {
    super(message(binary, source));
  }

  private static String message(Path binary, String source) {
    String install = isRoot() ? "apt-get install etcd-server" : "sudo apt-get install etcd-server";
    return "etcd is not installed: no executable etcd binary at "
        + binary
        + " ("
        + source
        + ")."
        + " Install it with `"
        + install
        + "` (Debian/Ubuntu; provides /usr/bin/etcd 3.4),"
        + " or point the "
        + EtcdBinary.ENV_VARIABLE
        + " environment variable or"
        + " EtcdCluster.builder().etcdBinary(...) at an etcd 3.4 binary.";
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }
}
