package dev.valkeyrie.etcdv2.migration;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A node of the v2 tree as etcd reported it.
 *
 * @param key the normalised key ({@code a/b}, no leading {@code /}); {@code ""} for the root
 * @param value the value's UTF-8 bytes; {@code null} for directories and removed nodes
 * @param ttl remaining seconds, 0 when the node has none
 * @param nodes the children (recursive reads only), in etcd's sorted order
 */
// The bytes as read or to write: carried, never compared or hashed as records.
@SuppressWarnings("ArrayRecordComponent")
public record V2Node(
    String key,
    byte @Nullable [] value,
    boolean dir,
    long ttl,
    long createdIndex,
    long modifiedIndex,
    List<V2Node> nodes) {

  public V2Node {
    nodes = List.copyOf(nodes);
  }
}
