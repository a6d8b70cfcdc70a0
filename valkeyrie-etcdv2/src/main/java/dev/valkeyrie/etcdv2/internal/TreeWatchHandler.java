package dev.valkeyrie.etcdv2.internal;

import dev.valkeyrie.store.KVPair;
import java.util.List;
import java.util.TreeMap;

/**
 * Keeps a directory's listing up to date from its events, without reading the tree again: etcd
 * sends one event per change (a recursive delete or a directory expiry is one event for the whole
 * subtree, and creating {@code d/a/b} creates {@code d/a} implicitly, with no event of its own).
 * A full read happens only at the start and when the watch fell out of etcd's history.
 */
final class TreeWatchHandler implements WatchLoop.Handler {
  private final KeyPath directory;
  private final QueueWatch<List<KVPair>> sink;
  private final TreeMap<String, KVPair> entries = new TreeMap<>(Listing.KEY_ORDER);
  private List<KVPair> last;

  TreeWatchHandler(KeyPath directory, QueueWatch<List<KVPair>> sink) {
    this.directory = directory;
    this.sink = sink;
  }

  @Override
  public void snapshot(EtcdNode node, long etcdIndex) {
    entries.clear();
    if (node != null && (node.dir() || directory.isRoot())) {
      Listing.flatten(node, entries);
    }
    publish();
  }

  @Override
  public void event(EtcdResponse event) {
    EtcdNode node = event.node();
    String key = node.normalizedKey();
    if (!directory.contains(key) || key.equals(directory.key())) {
      // The directory itself, or a directory above it: removed, or replaced.
      if (Listing.isRemoval(event.action()) || !node.dir()) {
        entries.clear();
      }
    } else if (Listing.isRemoval(event.action())) {
      entries.remove(key);
      entries.subMap(key + "/", key + "0").clear(); // '0' follows '/': everything below key
    } else if (!Listing.isLockKey(key)) {
      addParents(key, node.modifiedIndex());
      KVPair existing = entries.get(key);
      if (node.dir() && existing != null && event.action().equals("update")) {
        return; // a directory TTL change; etcd does not persist its new index
      }
      if (!node.dir()) {
        entries.subMap(key + "/", key + "0").clear(); // a key set over a directory
      }
      entries.put(key, Listing.pair(key, node));
    }
    publish();
  }

  /** etcd creates missing parent directories with the child's index and tells nobody. */
  private void addParents(String key, long index) {
    int start = directory.isRoot() ? 0 : directory.key().length() + 1;
    for (int slash = key.indexOf('/', start); slash > 0; slash = key.indexOf('/', slash + 1)) {
      String parent = key.substring(0, slash);
      entries.computeIfAbsent(parent, p -> new KVPair(p, null, index));
    }
  }

  private void publish() {
    List<KVPair> now = List.copyOf(entries.values());
    if (!now.equals(last)) {
      last = now;
      sink.offer(now);
    }
  }

  @Override
  public void failed(Throwable cause) {
    sink.fail(cause);
  }
}
