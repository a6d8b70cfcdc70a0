package dev.valkeyrie.etcdv3;

import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.KeyEvent;
import dev.valkeyrie.store.KeyNotFoundException;
import dev.valkeyrie.store.ReadOptions;
import dev.valkeyrie.store.Watch;
import dev.valkeyrie.store.spi.BufferedWatch;
import dev.valkeyrie.store.spi.BufferedWatch.Overflow;
import java.util.List;

/**
 * The watches part ({@link WatchService}): each watch reads its key or directory in the caller's
 * thread (so a missing one fails the call with {@link KeyNotFoundException}, as on v2), delivers
 * that state as its first update, and then follows etcd's events from the read's revision + 1 on
 * the store's one {@link WatchStream}. The consumer side is a {@link BufferedWatch}: value and
 * snapshot watches keep the latest updates ({@link Overflow#DROP_OLDEST}), event watches end with a
 * {@link dev.valkeyrie.store.WatchOverflowException} rather than drop an event ({@link
 * Overflow#FAIL}).
 */
final class Watches implements WatchService {
  /** By default a key's watch keeps this many updates for a consumer that falls behind. */
  static final int KEY_WATCH_CAPACITY = 1024;

  /** Tree snapshots supersede each other; a few are kept for a consumer that is a little slow. */
  static final int TREE_WATCH_CAPACITY = 4;

  /** Per-key tree events cannot be coalesced without losing keys, so the bound is generous. */
  static final int TREE_EVENT_CAPACITY = 65_536;

  /** What tests can do between a watch's first read and its creation on the stream. */
  interface StartHook {
    /** The watch read {@code key} at {@code revision} and is about to follow it from there. */
    void afterRead(Key key, long revision);
  }

  private final WatchStream stream;
  private final WatchReads reads;
  private final ExpiryCheck expiry;
  private final StartHook hook;

  Watches(StoreContext context) {
    this(context, (key, revision) -> {});
  }

  Watches(StoreContext context, StartHook hook) {
    this.stream = new WatchStream(context);
    this.reads = new WatchReads(context.calls());
    this.expiry = new ExpiryCheck(context.leases());
    this.hook = hook;
  }

  /** The store's watch stream (for tests). */
  WatchStream stream() {
    return stream;
  }

  /** The store's expiry check (for tests). */
  ExpiryCheck expiry() {
    return expiry;
  }

  @Override
  public Watch<KVPair> watch(Key key, ReadOptions options) {
    WatchReads.Read read = readKey(key, options, "watch");
    BufferedWatch<KVPair> sink =
        new BufferedWatch<>(
            options.watchCapacityOr(KEY_WATCH_CAPACITY), Overflow.DROP_OLDEST, describe(key));
    return start(sink, KeyWatcher.values(key, sink, stream, expiry, reads, read));
  }

  @Override
  public Watch<KeyEvent> watchEvents(Key key, ReadOptions options) {
    WatchReads.Read read = readKey(key, options, "watchEvents");
    BufferedWatch<KeyEvent> sink =
        new BufferedWatch<>(
            options.watchCapacityOr(KEY_WATCH_CAPACITY), Overflow.FAIL, describe(key));
    return start(sink, KeyWatcher.events(key, sink, stream, expiry, reads, read));
  }

  @Override
  public Watch<List<KVPair>> watchTree(Key directory, ReadOptions options) {
    WatchReads.Read read = readTree(directory, options, "watchTree");
    BufferedWatch<List<KVPair>> sink =
        new BufferedWatch<>(
            options.watchCapacityOr(TREE_WATCH_CAPACITY),
            Overflow.DROP_OLDEST,
            describeDir(directory));
    return start(sink, TreeWatcher.snapshots(directory, sink, stream, expiry, reads, read));
  }

  @Override
  public Watch<KeyEvent> watchTreeEvents(Key directory, ReadOptions options) {
    WatchReads.Read read = readTree(directory, options, "watchTreeEvents");
    // The first events (one per entry) are queued before the caller can take any: by default
    // they do not count against the room for a consumer that falls behind. A capacity set by
    // the caller is what it says.
    int capacity =
        options.watchCapacity() != 0
            ? options.watchCapacity()
            : (int) Math.min(Integer.MAX_VALUE, (long) TREE_EVENT_CAPACITY + read.kvs().size());
    BufferedWatch<KeyEvent> sink =
        new BufferedWatch<>(capacity, Overflow.FAIL, describeDir(directory));
    return start(sink, TreeWatcher.events(directory, sink, stream, expiry, reads, read));
  }

  private WatchReads.Read readKey(Key key, ReadOptions options, String operation) {
    WatchReads.Read read = reads.key(key, !options.consistent(), Op.read(operation, key.name()));
    if (!read.exists()) {
      throw new KeyNotFoundException("key '" + key.name() + "' not found (" + operation + ")");
    }
    hook.afterRead(key, read.revision());
    return read;
  }

  private WatchReads.Read readTree(Key directory, ReadOptions options, String operation) {
    WatchReads.Read read =
        reads.tree(directory, !options.consistent(), Op.read(operation, directory.name()));
    if (!read.exists()) {
      throw new KeyNotFoundException(
          "directory '" + directory.name() + "' not found (" + operation + ")");
    }
    hook.afterRead(directory, read.revision());
    return read;
  }

  private <T> Watch<T> start(BufferedWatch<T> sink, Watcher watcher) {
    sink.onClose(() -> stream.remove(watcher));
    watcher.begin();
    stream.add(watcher);
    return sink;
  }

  private static String describe(Key key) {
    return "key '" + key.name() + "'";
  }

  private static String describeDir(Key directory) {
    return "directory '" + directory.name() + "'";
  }
}
