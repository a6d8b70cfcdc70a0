package dev.valkeyrie.etcdv2;

import dev.valkeyrie.store.KVPair;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A successful answer of the keys API, or one watch event.
 *
 * @param action get, set, create, update, compareAndSwap, delete, compareAndDelete or expire
 * @param prevNode {@code null} when etcd sent none
 * @param etcdIndex the {@code X-Etcd-Index} header: for a read, the store's index at the time of
 *     the read; for a watch, the index when the watch started (never the event's)
 * @param entries for a listing ({@link KeysRequest#list}): every entry below {@code node}, in the
 *     order etcd sent them, lock side keys left out; {@code node} then has no children. Empty for
 *     every other answer
 */
record EtcdResponse(
    String action,
    EtcdNode node,
    @Nullable EtcdNode prevNode,
    long etcdIndex,
    List<KVPair> entries) {

  public EtcdResponse(String action, EtcdNode node, @Nullable EtcdNode prevNode, long etcdIndex) {
    this(action, node, prevNode, etcdIndex, List.of());
  }
}
