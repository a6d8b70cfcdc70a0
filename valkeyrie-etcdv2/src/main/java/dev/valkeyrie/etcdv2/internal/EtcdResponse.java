package dev.valkeyrie.etcdv2.internal;

/**
 * A successful answer of the keys API, or one watch event.
 *
 * @param action get, set, create, update, compareAndSwap, delete, compareAndDelete or expire
 * @param prevNode {@code null} when etcd sent none
 * @param etcdIndex the {@code X-Etcd-Index} header: for a read, the store's index at the time of
 *     the read; for a watch, the index when the watch started (never the event's)
 */
public record EtcdResponse(String action, EtcdNode node, EtcdNode prevNode, long etcdIndex) {}
