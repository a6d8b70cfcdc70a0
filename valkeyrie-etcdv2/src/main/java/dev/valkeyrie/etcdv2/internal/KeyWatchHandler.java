package dev.valkeyrie.etcdv2.internal;

import dev.valkeyrie.store.KVPair;

/**
 * Turns the events of one key into {@link KVPair} updates. A deletion or expiry of the key, or of
 * a directory above it, is delivered as an empty value at the index of the deletion.
 */
final class KeyWatchHandler implements WatchLoop.Handler {
  private final String key;
  private final QueueWatch<KVPair> sink;
  private long lastIndex = -1;
  private boolean present;

  KeyWatchHandler(String key, QueueWatch<KVPair> sink) {
    this.key = key;
    this.sink = sink;
  }

  @Override
  public void snapshot(EtcdNode node, long etcdIndex) {
    if (node == null) {
      if (present || lastIndex < 0) {
        deliver(new KVPair(key, null, etcdIndex), false);
      }
    } else if (node.modifiedIndex() > lastIndex) {
      deliver(Listing.pair(key, node), true);
    }
  }

  @Override
  public void event(EtcdResponse event) {
    EtcdNode node = event.node();
    if (Listing.isRemoval(event.action())) {
      deliver(new KVPair(key, null, node.modifiedIndex()), false);
    } else if (key.equals(node.normalizedKey())) {
      deliver(Listing.pair(key, node), true);
    }
  }

  private void deliver(KVPair pair, boolean exists) {
    lastIndex = pair.lastIndex();
    present = exists;
    sink.offer(pair);
  }

  @Override
  public void failed(Throwable cause) {
    sink.fail(cause);
  }
}
