package dev.valkeyrie.etcdv2;

import java.util.List;

/**
 * A node as etcd reports it. Every field is optional on the wire: the root has no key and no
 * indexes, directories have no value, empty directories have no {@code nodes}.
 *
 * @param key the key as etcd spells it ({@code /a/b}), {@code null} for the root
 * @param value the value, {@code null} for directories and for deleted or expired nodes
 * @param ttl remaining seconds, 0 when none
 */
record EtcdNode(
    String key,
    String value,
    boolean dir,
    long createdIndex,
    long modifiedIndex,
    long ttl,
    List<EtcdNode> nodes) {

  public EtcdNode {
    nodes = nodes == null ? List.of() : nodes;
  }

  /** The key in the store's normalised form ({@code a/b}). */
  public String normalizedKey() {
    return KeyPath.fromEtcd(key);
  }
}
