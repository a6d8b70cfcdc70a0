package dev.valkeyrie.store.spi;

import dev.valkeyrie.store.TooManyRequestsException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The bound on a store's outstanding asynchronous calls ({@link dev.valkeyrie.store.AsyncStore}): a
 * call is started only while fewer than the bound are outstanding, and refused with {@link
 * TooManyRequestsException} otherwise, before anything is sent. Thread-safe and lock-free.
 */
public final class OutstandingCalls {
  private final int max;
  private final AtomicInteger outstanding = new AtomicInteger();

  /**
   * @param max the most calls outstanding at once, at least 1
   */
  public OutstandingCalls(int max) {
    if (max < 1) {
      throw new IllegalArgumentException(
          "the bound on outstanding calls must be at least 1: " + max);
    }
    this.max = max;
  }

  /** How many calls are outstanding now. */
  public int outstanding() {
    return outstanding.get();
  }

  /**
   * Starts {@code call} if the bound allows, and counts it outstanding until its future completes.
   * Never throws: a refusal, or an exception thrown by {@code call} itself, is returned as a failed
   * future. Cancelling the returned future cancels {@code call}'s.
   */
  public <T> CompletableFuture<T> start(Supplier<CompletableFuture<T>> call) {
    if (!tryAcquire()) {
      return CompletableFuture.failedFuture(
          new TooManyRequestsException(
              "too many outstanding asynchronous calls: "
                  + max
                  + " have not completed yet; nothing was sent"));
    }
    CompletableFuture<T> future;
    try {
      future = call.get();
    } catch (RuntimeException | Error e) {
      outstanding.decrementAndGet();
      return CompletableFuture.failedFuture(e);
    }
    // The caller sees the future only once the call no longer counts, so that a call made from
    // one of its stages is never refused because of the call that just completed. The count is
    // taken off in a stage of the call's own future, which runs however the caller's ends.
    CompletableFuture<T> counted = new CompletableFuture<>();
    var unused =
        future.whenComplete(
            (result, failure) -> {
              outstanding.decrementAndGet();
              if (failure != null) {
                counted.completeExceptionally(failure);
              } else {
                counted.complete(result);
              }
            });
    unused =
        counted.whenComplete(
            (result, failure) -> {
              if (counted.isCancelled()) {
                future.cancel(false);
              }
            });
    return counted;
  }

  private boolean tryAcquire() {
    while (true) {
      int now = outstanding.get();
      if (now >= max) {
        return false;
      }
      if (outstanding.compareAndSet(now, now + 1)) {
        return true;
      }
    }
  }
}
