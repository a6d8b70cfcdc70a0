package dev.valkeyrie.store;

import java.util.concurrent.CompletableFuture;

/** One holding of a lock, from acquisition until it ends. */
public interface Lease extends AutoCloseable {

  /**
   * Completes once the lock is no longer held: unlocked, expired, renewal failed, or the store
   * closed. Completes normally; never exceptionally.
   */
  CompletableFuture<Void> released();

  /**
   * A number that strictly increases across successive acquisitions of the same lock, to fence off
   * writes from a holder that lost the lock without knowing it.
   */
  long fencingToken();

  /** Releases the lock if it is still held; does nothing if it already ended. */
  @Override
  void close();
}
