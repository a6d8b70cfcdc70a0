package dev.valkeyrie.etcd.launcher;

import java.nio.file.Path;

/**
 * Where one member lives: its name, ports and directory, and whether clients reach it over https.
 * Fixed for the member's lifetime so a restart reuses the same data directory and URLs.
 */
record MemberSpec(String name, int clientPort, int peerPort, Path directory, boolean clientTls) {
  private static final String HOST = "127.0.0.1";

  /** {@code https://127.0.0.1:<port>} with client TLS, else {@code http://...}. */
  String clientUrl() {
    return (clientTls ? "https" : "http") + "://" + HOST + ":" + clientPort;
  }

  /** Peer traffic stays plain http. */
  String peerUrl() {
    return "http://" + HOST + ":" + peerPort;
  }

  /** Left for etcd to create, so it gets the permissions etcd wants. */
  Path dataDir() {
    return directory.resolve("data");
  }

  /** Next to, not inside, the data directory: etcd owns that one. */
  Path logFile() {
    return directory.resolve("etcd.log");
  }

  /** The {@code name=peerUrl} entry of {@code --initial-cluster}. */
  String initialClusterEntry() {
    return name + "=" + peerUrl();
  }
}
