package dev.valkeyrie.etcdv2;

import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.KeyEvent;
import dev.valkeyrie.store.ReadOptions;
import dev.valkeyrie.store.Watch;
import java.util.List;
import java.util.function.Function;

/** Creates watches: a {@link WatchLoop} feeding a {@link QueueWatch} through a handler. */
final class Watches {
  /** A consumer that falls this far behind a key loses the oldest updates, never the latest. */
  static final int KEY_WATCH_CAPACITY = 1024;

  /** Tree snapshots supersede each other; a few are kept for a consumer that is a little slow. */
  static final int TREE_WATCH_CAPACITY = 4;

  /**
   * Per-key tree events cannot be coalesced without losing keys, so the bound is generous: a
   * consumer this far behind loses the oldest events (it can re-read with list()).
   */
  static final int TREE_EVENT_CAPACITY = 65_536;

  private final StoreContext context;

  public Watches(StoreContext context) {
    this.context = context;
  }

  /** Values: a deletion or expiry shows as an empty value at the index of the removal. */
  public Watch<KVPair> watch(String key, ReadOptions options) {
    return watchKey(key, options, KeyEvent::pair);
  }

  public Watch<KeyEvent> watchEvents(String key, ReadOptions options) {
    return watchKey(key, options, event -> event);
  }

  private <T> Watch<T> watchKey(String key, ReadOptions options, Function<KeyEvent, T> view) {
    KeyPath path = KeyPath.of(key);
    QueueWatch<T> watch = new QueueWatch<>(KEY_WATCH_CAPACITY, "key '" + path.key() + "'");
    start(watch, new WatchLoop(context, path, false, consistent(options),
        new KeyWatchHandler<>(path.key(), watch, view)));
    return watch;
  }

  public Watch<List<KVPair>> watchTree(String directory, ReadOptions options) {
    KeyPath path = KeyPath.directory(directory);
    QueueWatch<List<KVPair>> watch =
        new QueueWatch<>(TREE_WATCH_CAPACITY, "directory '" + path.key() + "'");
    start(watch, new WatchLoop(context, path, true, consistent(options),
        TreeWatchHandler.snapshots(path, watch)));
    return watch;
  }

  public Watch<KeyEvent> watchTreeEvents(String directory, ReadOptions options) {
    KeyPath path = KeyPath.directory(directory);
    QueueWatch<KeyEvent> watch =
        new QueueWatch<>(TREE_EVENT_CAPACITY, "directory '" + path.key() + "'");
    start(watch, new WatchLoop(context, path, true, consistent(options),
        TreeWatchHandler.events(path, watch)));
    return watch;
  }

  private static void start(QueueWatch<?> watch, WatchLoop loop) {
    watch.onClose(loop::close);
    loop.start();
  }

  private static boolean consistent(ReadOptions options) {
    return options == null || options.consistent();
  }
}
