package dev.valkeyrie.store;

import java.time.Duration;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * A stream of updates from the store, read with {@link #take()} or {@link #poll(Duration)}.
 *
 * <p>The watch reconnects by itself after transient failures; they show only as delay. It ends when
 * it is closed, when its store is closed, or when it fails for good: then {@link #take()} throws
 * {@link WatchClosedException}, whose cause tells why.
 *
 * @param <T> the update type
 */
public interface Watch<T> extends AutoCloseable {

  /**
   * Waits for the next update.
   *
   * @throws WatchClosedException once the watch is closed or has failed; the cause is attached
   */
  T take() throws InterruptedException;

  /**
   * Waits at most {@code timeout} for the next update.
   *
   * @return the update, or {@code null} if none came in time
   * @throws WatchClosedException once the watch is closed or has failed; the cause is attached
   */
  @Nullable T poll(Duration timeout) throws InterruptedException;

  /**
   * Delivers the updates to {@code listener}, on {@code executor}, instead of {@link #take()} and
   * {@link #poll(Duration)}, which then throw {@link IllegalStateException}. Updates already queued
   * are delivered first. The listener's {@link WatchListener#onClose} is its last call.
   *
   * <p>This default takes one of the executor's threads for as long as the watch lasts; backends
   * that can push updates (the etcd v2 backend does) override it to hold no thread in between.
   *
   * @throws IllegalStateException if a listener is already registered
   */
  default void listen(WatchListener<? super T> listener, Executor executor) {
    executor.execute(
        () -> {
          try {
            while (true) {
              listener.onUpdate(take());
            }
          } catch (WatchClosedException e) {
            listener.onClose(e.getCause());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            listener.onClose(e);
          }
        });
  }

  /** Whether the watch has ended (closed, store closed, or failed for good). */
  boolean isClosed();

  /** Stops the watch and frees its connection. Idempotent. */
  @Override
  void close();
}
