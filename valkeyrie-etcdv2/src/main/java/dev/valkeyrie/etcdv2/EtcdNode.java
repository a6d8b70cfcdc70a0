package dev.valkeyrie.etcdv2;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A node as etcd reports it. Every field is optional on the wire: the root has no key and no
 * indexes, directories have no value, empty directories have no {@code nodes}.
 *
 * @param key the key as etcd spells it ({@code /a/b}), {@code null} for the root
 * @param value the value, {@code null} for directories and for deleted or expired nodes
 * @param ttl remaining seconds, 0 when none
 * @param nodes the children, empty when etcd sent none
 */
record EtcdNode(
    @Nullable String key,
    @Nullable String value,
    boolean dir,
    long createdIndex,
    long modifiedIndex,
    long ttl,
    List<EtcdNode> nodes) {

  public EtcdNode {
    // Kept for callers that build nodes by hand; the parser already passes List.of().
    nodes = nodes == null ? List.of() : nodes;
  }

  /** The key in the store's normalised form ({@code a/b}). */
  public String normalizedKey() {
    return KeyPath.fromEtcd(key);
  }
}
