package dev.valkeyrie.etcdv2;

import static java.util.Objects.requireNonNull;

import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.KeyEvent;
import dev.valkeyrie.store.KeyEvent.Kind;
import dev.valkeyrie.store.KeyTypeException;
import dev.valkeyrie.store.spi.BufferedWatch;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Keeps a directory's listing up to date from its events, without reading the tree again: etcd
 * sends one event per change (a recursive delete or a directory expiry is one event for the whole
 * subtree, and creating {@code d/a/b} creates {@code d/a} implicitly, with no event of its own). A
 * full read happens only at the start and when the watch fell out of etcd's history; then the
 * differences to the previous state become the events.
 *
 * <p>It publishes either whole listings ({@link #snapshots}) or the per-key events ({@link
 * #events}).
 */
final class TreeWatchHandler implements WatchLoop.Handler {
  private final KeyPath directory;
  private final @Nullable BufferedWatch<List<KVPair>> snapshots;
  private final @Nullable BufferedWatch<KeyEvent> events;
  private final TreeMap<String, KVPair> entries = new TreeMap<>(Listing.KEY_ORDER);
  private boolean started;
  private @Nullable List<KVPair> last;

  private TreeWatchHandler(
      KeyPath directory,
      @Nullable BufferedWatch<List<KVPair>> snapshots,
      @Nullable BufferedWatch<KeyEvent> events) {
    this.directory = directory;
    this.snapshots = snapshots;
    this.events = events;
  }

  static TreeWatchHandler snapshots(KeyPath directory, BufferedWatch<List<KVPair>> sink) {
    return new TreeWatchHandler(directory, sink, null);
  }

  static TreeWatchHandler events(KeyPath directory, BufferedWatch<KeyEvent> sink) {
    return new TreeWatchHandler(directory, null, sink);
  }

  @Override
  public void snapshot(@Nullable EtcdResponse current, long etcdIndex) {
    TreeMap<String, KVPair> now = new TreeMap<>(Listing.KEY_ORDER);
    if (current != null && (current.node().dir() || directory.isRoot())) {
      current.entries().forEach(pair -> now.put(pair.key(), pair));
    }
    List<KeyEvent> changes = new ArrayList<>();
    if (!started) {
      now.values().forEach(pair -> changes.add(new KeyEvent(Kind.CURRENT, pair)));
    } else {
      for (KVPair before : entries.values()) {
        if (!now.containsKey(before.key())) {
          changes.add(new KeyEvent(Kind.DELETED, new KVPair(before.key(), new byte[0], etcdIndex)));
        }
      }
      for (KVPair after : now.values()) {
        KVPair before = entries.get(after.key());
        if (before == null) {
          changes.add(new KeyEvent(Kind.CREATED, after));
        } else if (!before.equals(after)) {
          changes.add(new KeyEvent(Kind.MODIFIED, after));
        }
      }
    }
    started = true;
    entries.clear();
    entries.putAll(now);
    publish(changes);
  }

  @Override
  public void event(EtcdResponse event) {
    EtcdNode node = event.node();
    String key = node.normalizedKey();
    boolean removal = Listing.isRemoval(event.action());
    List<KeyEvent> changes = new ArrayList<>();
    if (!directory.contains(key) || key.equals(directory.key())) {
      // The directory itself, or a directory above it.
      if (!removal && !node.dir() && key.equals(directory.key())) {
        throw new KeyTypeException(
            "directory '"
                + directory.key()
                + "' was replaced by a key"
                + " with a value; a tree watch needs a directory");
      }
      if (removal) {
        removeAll(entries, Listing.removalKind(event.action()), node.modifiedIndex(), changes);
      }
    } else if (removal) {
      Kind kind = Listing.removalKind(event.action());
      remove(key, kind, node.modifiedIndex(), changes);
      removeAll(below(key), kind, node.modifiedIndex(), changes);
    } else if (!Listing.isLockKey(key)) {
      addParents(key, node.modifiedIndex(), changes);
      KVPair existing = entries.get(key);
      if (!(node.dir() && existing != null && event.action().equals("update"))) {
        // (A directory TTL update changes nothing visible: etcd does not persist its index.)
        if (!node.dir()) {
          removeAll(below(key), Kind.DELETED, node.modifiedIndex(), changes);
        }
        KVPair pair = Listing.pair(key, node);
        entries.put(key, pair);
        changes.add(new KeyEvent(existing == null ? Kind.CREATED : Kind.MODIFIED, pair));
      }
    }
    publish(changes);
  }

  private Map<String, KVPair> below(String key) {
    return entries.subMap(key + "/", key + "0"); // '0' follows '/': everything below key
  }

  private void remove(String key, Kind kind, long index, List<KeyEvent> changes) {
    if (entries.remove(key) != null) {
      changes.add(new KeyEvent(kind, new KVPair(key, new byte[0], index)));
    }
  }

  private static void removeAll(
      Map<String, KVPair> range, Kind kind, long index, List<KeyEvent> changes) {
    for (Iterator<String> it = range.keySet().iterator(); it.hasNext(); ) {
      changes.add(new KeyEvent(kind, new KVPair(it.next(), new byte[0], index)));
      it.remove();
    }
  }

  /** etcd creates missing parent directories with the child's index and tells nobody. */
  private void addParents(String key, long index, List<KeyEvent> changes) {
    int start = directory.isRoot() ? 0 : directory.key().length() + 1;
    for (int slash = key.indexOf('/', start); slash > 0; slash = key.indexOf('/', slash + 1)) {
      String parent = key.substring(0, slash);
      if (!entries.containsKey(parent)) {
        KVPair pair = new KVPair(parent, new byte[0], index);
        entries.put(parent, pair);
        changes.add(new KeyEvent(Kind.CREATED, pair));
      }
    }
  }

  private void publish(List<KeyEvent> changes) {
    if (events != null) {
      changes.forEach(events::offer);
      return;
    }
    if (changes.isEmpty() && last != null) {
      return;
    }
    List<KVPair> now = List.copyOf(entries.values());
    if (!Objects.equals(now, last)) {
      last = now;
      requireNonNull(snapshots, "a tree watch without an event sink has a snapshot sink")
          .offer(now);
    }
  }

  @Override
  public void failed(Throwable cause) {
    if (events != null) {
      events.fail(cause);
    } else {
      requireNonNull(snapshots, "a tree watch without an event sink has a snapshot sink")
          .fail(cause);
    }
  }
}
