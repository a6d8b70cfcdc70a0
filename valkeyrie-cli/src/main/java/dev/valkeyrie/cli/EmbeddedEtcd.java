package dev.valkeyrie.cli;

import dev.valkeyrie.etcd.launcher.EtcdCluster;
import java.util.List;

/**
 * The throwaway local etcd used when no endpoint is given: one member of {@code /usr/bin/etcd} (or
 * {@code $VALKEYRIE_ETCD_BINARY}) serving both the v2 and the v3 API, on free loopback ports, in a
 * temporary directory {@code valkeyrie-etcd-valkeyrie-*}. {@link #close()} stops it and deletes the
 * directory; if the JVM ends another way (Ctrl-C, SIGTERM), the launcher's shutdown hook does.
 */
final class EmbeddedEtcd implements AutoCloseable {
  static final String NAME = "valkeyrie";

  private final EtcdCluster cluster;

  private EmbeddedEtcd(EtcdCluster cluster) {
    this.cluster = cluster;
  }

  /**
   * Starts etcd and waits until it serves v2 writes.
   *
   * @throws dev.valkeyrie.etcd.launcher.EtcdNotInstalledException saying how to install etcd
   * @throws dev.valkeyrie.etcd.launcher.EtcdStartException if it does not start
   */
  static EmbeddedEtcd start() {
    return new EmbeddedEtcd(EtcdCluster.builder().members(1).name(NAME).build().start());
  }

  List<String> endpoints() {
    return cluster.clientEndpoints();
  }

  @Override
  public void close() {
    cluster.close();
  }
}
