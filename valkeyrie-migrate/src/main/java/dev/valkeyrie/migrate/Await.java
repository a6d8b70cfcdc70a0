package dev.valkeyrie.migrate;

import dev.valkeyrie.store.StoreException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Waits for a request's answer and throws its failure as the store threw it. */
final class Await {
  private Await() {}

  /**
   * Waits, uninterruptibly: a write once sent is never abandoned halfway, so the caller always
   * learns what became of it (its own timeout bounds the wait).
   */
  static <T> T result(CompletableFuture<T> future) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return future.get();
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          throw unwrap(cause == null ? e : cause);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  static RuntimeException unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause instanceof RuntimeException r
        ? r
        : new StoreException("migration failed: " + cause, cause);
  }
}
