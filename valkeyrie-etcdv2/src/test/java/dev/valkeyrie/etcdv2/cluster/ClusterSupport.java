package dev.valkeyrie.etcdv2.cluster;

import dev.valkeyrie.etcd.launcher.EtcdCluster;
import dev.valkeyrie.etcd.launcher.EtcdMember;
import java.util.ArrayList;
import java.util.List;

/** What the cluster tests share: endpoint orders, a thread of their own, figures. */
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
}
