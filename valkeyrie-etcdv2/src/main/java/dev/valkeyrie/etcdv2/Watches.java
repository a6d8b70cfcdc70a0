package dev.valkeyrie.etcdv2;

import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.KeyEvent;
import dev.valkeyrie.store.ReadOptions;
import dev.valkeyrie.store.Watch;
import dev.valkeyrie.store.spi.BufferedWatch;
import dev.valkeyrie.store.spi.BufferedWatch.Overflow;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** Creates watches: a {@link WatchLoop} feeding a {@link BufferedWatch} through a handler. */
final class Watches {
  /** By default a key's watch keeps this many updates for a consumer that falls behind. */
  static final int KEY_WATCH_CAPACITY = 1024;

  /** Tree snapshots supersede each other; a few are kept for a consumer that is a little slow. */
  static final int TREE_WATCH_CAPACITY = 4;

  /**
   * Per-key tree events cannot be coalesced without losing keys, so the bound is generous: a
   * consumer this far behind ends the watch rather than miss one.
   */
  static final int TREE_EVENT_CAPACITY = 65_536;

  private final StoreContext context;

  public Watches(StoreContext context) {
    this.context = context;
  }

  /** Values: a deletion or expiry shows as an empty value at the index of the removal. */
  public Watch<KVPair> watch(String key, @Nullable ReadOptions options) {
    return watchKey(key, options, KeyEvent::pair, Overflow.DROP_OLDEST);
  }

  public Watch<KeyEvent> watchEvents(String key, @Nullable ReadOptions options) {
    return watchKey(key, options, event -> event, Overflow.FAIL);
  }

  private <T> Watch<T> watchKey(
      String key, @Nullable ReadOptions options, Function<KeyEvent, T> view, Overflow overflow) {
    KeyPath path = KeyPath.of(key);
    BufferedWatch<T> watch =
        new BufferedWatch<>(
            effective(options).watchCapacityOr(KEY_WATCH_CAPACITY),
            overflow,
            "key '" + path.key() + "'");
    start(
        watch,
        new WatchLoop(
            context,
            path,
            false,
            consistent(options),
            new KeyWatchHandler<>(path.key(), watch, view)));
    return watch;
  }

  public Watch<List<KVPair>> watchTree(String directory, @Nullable ReadOptions options) {
    KeyPath path = KeyPath.directory(directory);
    BufferedWatch<List<KVPair>> watch =
        new BufferedWatch<>(
            effective(options).watchCapacityOr(TREE_WATCH_CAPACITY),
            Overflow.DROP_OLDEST,
            "directory '" + path.key() + "'");
    start(
        watch,
        new WatchLoop(
            context, path, true, consistent(options), TreeWatchHandler.snapshots(path, watch)));
    return watch;
  }

  public Watch<KeyEvent> watchTreeEvents(String directory, @Nullable ReadOptions options) {
    KeyPath path = KeyPath.directory(directory);
    BufferedWatch<KeyEvent> watch =
        new BufferedWatch<>(
            effective(options).watchCapacityOr(TREE_EVENT_CAPACITY),
            Overflow.FAIL,
            "directory '" + path.key() + "'");
    start(
        watch,
        new WatchLoop(
            context, path, true, consistent(options), TreeWatchHandler.events(path, watch)));
    return watch;
  }

  private static ReadOptions effective(@Nullable ReadOptions options) {
    return options == null ? ReadOptions.DEFAULT : options;
  }

  private static void start(BufferedWatch<?> watch, WatchLoop loop) {
    watch.onClose(loop::close);
    loop.start();
  }

  private static boolean consistent(@Nullable ReadOptions options) {
    return options == null || options.consistent();
  }
}
