package dev.valkeyrie.etcdv3.cluster;

import dev.valkeyrie.etcd.launcher.EtcdCluster;
import dev.valkeyrie.etcd.launcher.EtcdMember;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What the v3 cluster tests share: endpoint orders, followers, bytes, figures. */
final class ClusterSupport {
  private ClusterSupport() {}

  /** Every member's endpoint, {@code first}'s in front, the others in member order. */
  static List<String> endpointsStartingWith(EtcdCluster cluster, EtcdMember first) {
    List<String> endpoints = new ArrayList<>();
    endpoints.add(first.clientEndpoint());
    for (EtcdMember m : cluster.members()) {
      if (m != first) {
        endpoints.add(m.clientEndpoint());
      }
    }
    return endpoints;
  }

  /** A member that is not the leader. */
  static EtcdMember aFollower(EtcdCluster cluster) {
    EtcdMember leader = cluster.leader();
    return cluster.members().stream().filter(m -> m != leader).findFirst().orElseThrow();
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  /** Prints a measured figure on one line starting with {@code FIGURE:}. */
  static void figure(String format, Object... args) {
    System.out.println("FIGURE: " + String.format(Locale.ROOT, format, args));
  }
}
