package dev.valkeyrie.etcdv2.internal;

import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.ReadOptions;
import dev.valkeyrie.store.Watch;
import java.util.List;

/** Creates watches: a {@link WatchLoop} feeding a {@link QueueWatch} through a handler. */
public final class Watches {
  /** A consumer that falls this far behind a key loses the oldest updates, never the latest. */
  static final int KEY_WATCH_CAPACITY = 1024;

  /** Tree snapshots supersede each other; a few are kept for a consumer that is a little slow. */
  static final int TREE_WATCH_CAPACITY = 4;

  private final StoreContext context;

  public Watches(StoreContext context) {
    this.context = context;
  }

  public Watch<KVPair> watch(String key, ReadOptions options) {
    KeyPath path = KeyPath.of(key);
    QueueWatch<KVPair> watch = new QueueWatch<>(KEY_WATCH_CAPACITY, "key '" + path.key() + "'");
    start(watch, new WatchLoop(context, path, false, consistent(options),
        new KeyWatchHandler(path.key(), watch)));
    return watch;
  }

  public Watch<List<KVPair>> watchTree(String directory, ReadOptions options) {
    KeyPath path = KeyPath.directory(directory);
    QueueWatch<List<KVPair>> watch =
        new QueueWatch<>(TREE_WATCH_CAPACITY, "directory '" + path.key() + "'");
    start(watch, new WatchLoop(context, path, true, consistent(options),
        new TreeWatchHandler(path, watch)));
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
