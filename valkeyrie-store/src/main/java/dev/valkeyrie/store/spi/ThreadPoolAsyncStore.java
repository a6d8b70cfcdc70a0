package dev.valkeyrie.store.spi;

import dev.valkeyrie.store.AsyncStore;
import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.KeyEvent;
import dev.valkeyrie.store.ReadOptions;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.store.StoreClosedException;
import dev.valkeyrie.store.Watch;
import dev.valkeyrie.store.WriteOptions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * An {@link AsyncStore} for a backend whose transport blocks: each call runs the store's blocking
 * call on a thread of its own, so the caller's thread never waits. Threads are started as calls
 * need them, one per outstanding call (never queued behind another call, so each future completes
 * within the blocking call's own timeout): as many as the bound of {@link OutstandingCalls} allows
 * calls, plus those just finishing, and end after 30 s idle or at {@link #close()}.
 */
public final class ThreadPoolAsyncStore implements AsyncStore, AutoCloseable {
  private final Store store;
  private final OutstandingCalls bound;
  private final ThreadPoolExecutor threads;

  /**
   * @param store the blocking store whose calls run here
   * @param maxOutstanding the bound on outstanding calls (and on threads)
   * @param threadName the prefix of the threads' names
   */
  public ThreadPoolAsyncStore(Store store, int maxOutstanding, String threadName) {
    this.store = store;
    this.bound = new OutstandingCalls(maxOutstanding);
    AtomicInteger count = new AtomicInteger();
    this.threads =
        new ThreadPoolExecutor(
            0,
            // Not the bound itself: a thread that has just completed its call's future is still
            // on its way back to the pool when the caller may already make the next call.
            Integer.MAX_VALUE,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            task -> {
              Thread thread = new Thread(task, threadName + "-" + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
  }

  @Override
  public CompletableFuture<Void> put(
      String key, byte @Nullable [] value, @Nullable WriteOptions options) {
    return runVoid(() -> store.put(key, value, options));
  }

  @Override
  public CompletableFuture<KVPair> get(String key, @Nullable ReadOptions options) {
    return run(() -> store.get(key, options));
  }

  @Override
  public CompletableFuture<Void> delete(String key) {
    return runVoid(() -> store.delete(key));
  }

  @Override
  public CompletableFuture<Boolean> exists(String key, @Nullable ReadOptions options) {
    return run(() -> store.exists(key, options));
  }

  @Override
  public CompletableFuture<List<KVPair>> list(String directory, @Nullable ReadOptions options) {
    return run(() -> store.list(directory, options));
  }

  @Override
  public CompletableFuture<Void> deleteTree(String directory) {
    return runVoid(() -> store.deleteTree(directory));
  }

  @Override
  public CompletableFuture<KVPair> atomicPut(
      String key,
      byte @Nullable [] value,
      @Nullable KVPair previous,
      @Nullable WriteOptions options) {
    return run(() -> store.atomicPut(key, value, previous, options));
  }

  @Override
  public CompletableFuture<Long> atomicDelete(String key, @Nullable KVPair previous) {
    return run(() -> store.atomicDelete(key, previous));
  }

  @Override
  public CompletableFuture<Watch<KVPair>> watch(String key, @Nullable ReadOptions options) {
    return run(() -> store.watch(key, options));
  }

  @Override
  public CompletableFuture<Watch<List<KVPair>>> watchTree(
      String directory, @Nullable ReadOptions options) {
    return run(() -> store.watchTree(directory, options));
  }

  @Override
  public CompletableFuture<Watch<KeyEvent>> watchEvents(String key, @Nullable ReadOptions options) {
    return run(() -> store.watchEvents(key, options));
  }

  @Override
  public CompletableFuture<Watch<KeyEvent>> watchTreeEvents(
      String directory, @Nullable ReadOptions options) {
    return run(() -> store.watchTreeEvents(directory, options));
  }

  /** Ends the threads, waiting for the calls that run on them (each bounded by its timeout). */
  @Override
  public void close() {
    threads.shutdown();
    boolean interrupted = false;
    while (true) {
      try {
        if (threads.awaitTermination(1, TimeUnit.MINUTES)) {
          break;
        }
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private CompletableFuture<Void> runVoid(Runnable call) {
    return run(
        () -> {
          call.run();
          return (Void) null;
        });
  }

  private <T> CompletableFuture<T> run(Supplier<T> call) {
    return bound.start(
        () -> {
          CompletableFuture<T> future = new CompletableFuture<>();
          try {
            threads.execute(
                () -> {
                  try {
                    future.complete(call.get());
                  } catch (RuntimeException | Error e) {
                    future.completeExceptionally(e);
                  }
                });
          } catch (RejectedExecutionException e) {
            future.completeExceptionally(new StoreClosedException("the store is closed"));
          }
          return future;
        });
  }
}
