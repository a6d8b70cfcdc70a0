package dev.valkeyrie.testsuite.reference;

import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.Watch;
import dev.valkeyrie.store.WatchClosedException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** A watch on one key or one directory of a {@link MemoryServer}. */
final class MemoryWatch<T> implements Watch<T> {

  private static final Object END = new Object();

  private final MemoryServer server;
  private final String key;
  private final boolean tree;
  private final Supplier<T> current;
  private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private volatile boolean closed;
  private volatile String closedBecause = "closed";

  private MemoryWatch(MemoryServer server, String key, boolean tree, Supplier<T> current) {
    this.server = server;
    this.key = key;
    this.tree = tree;
    this.current = current;
  }

  /** Caller holds the server monitor and has checked that the key exists. */
  static MemoryWatch<KVPair> onKey(MemoryServer server, String key) {
    MemoryWatch<KVPair> watch =
        new MemoryWatch<>(
            server,
            key,
            false,
            () -> {
              MemoryServer.Node node = server.nodes.get(key);
              return node == null ? null : new KVPair(key, node.value, node.modifiedIndex);
            });
    watch.start();
    return watch;
  }

  /** Caller holds the server monitor and has checked that the directory exists. */
  static MemoryWatch<List<KVPair>> onTree(MemoryServer server, String dir) {
    MemoryWatch<List<KVPair>> watch =
        new MemoryWatch<>(
            server, dir, true, () -> server.nodes.containsKey(dir) ? server.listing(dir) : null);
    watch.start();
    return watch;
  }

  private void start() {
    queue.add(current.get());
    server.register(this);
  }

  /** Called under the server monitor after {@code changedKey} (and what is below it) changed. */
  void changed(String changedKey) {
    boolean concerned =
        tree
            ? changedKey.equals(key)
                || changedKey.startsWith(key + "/")
                || key.startsWith(changedKey + "/")
            : changedKey.equals(key) || key.startsWith(changedKey + "/");
    if (concerned && !closed) {
      T update = current.get();
      if (update != null) {
        queue.add(update);
      }
    }
  }

  @Override
  public T take() throws InterruptedException {
    return unwrap(closed ? END : queue.take());
  }

  @Override
  public T poll(Duration timeout) throws InterruptedException {
    Object next = closed ? END : queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    return next == null ? null : unwrap(next);
  }

  @SuppressWarnings("unchecked")
  private T unwrap(Object next) {
    if (next == END || closed) {
      queue.add(END);
      throw new WatchClosedException("watch on '" + key + "' ended: " + closedBecause);
    }
    return (T) next;
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  void end(String because) {
    if (!closed) {
      closedBecause = because;
      closed = true;
      server.unregister(this);
      queue.clear();
      queue.add(END);
    }
  }

  @Override
  public void close() {
    end("closed");
  }
}
