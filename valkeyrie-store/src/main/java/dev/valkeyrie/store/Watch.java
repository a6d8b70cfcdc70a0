package dev.valkeyrie.store;

import java.time.Duration;

/**
 * A stream of updates from the store, read with {@link #take()} or {@link #poll(Duration)}.
 *
 * <p>The watch reconnects by itself after transient failures; they show only as delay. It ends
 * when it is closed, when its store is closed, or when it fails for good: then {@link #take()}
 * throws {@link WatchClosedException}, whose cause tells why.
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
  T poll(Duration timeout) throws InterruptedException;

  /** Whether the watch has ended (closed, store closed, or failed for good). */
  boolean isClosed();

  /** Stops the watch and frees its connection. Idempotent. */
  @Override
  void close();
}
