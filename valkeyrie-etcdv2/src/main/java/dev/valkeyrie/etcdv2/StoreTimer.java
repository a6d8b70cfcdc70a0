package dev.valkeyrie.etcdv2;

import dev.valkeyrie.store.spi.Ticker;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The timer of a store, and the clock it reads: renewals, keep-alives, backoff delays, the
 * connection probe and request deadlines all run on it. Tasks never block: they only start
 * asynchronous requests. Normally one thread of the store's own; tests pass in a manual scheduler
 * and ticker instead, so behaviour that depends on time is tested without waiting for it.
 */
final class StoreTimer implements AutoCloseable {
  private final ScheduledExecutorService executor;
  private final Ticker ticker;
  private final Deadlines deadlines;
  private final Set<Thread> threads; // the store's own threads, empty when injected

  private StoreTimer(ScheduledExecutorService executor, Ticker ticker, Set<Thread> threads) {
    this.executor = executor;
    this.ticker = ticker;
    this.threads = threads;
    this.deadlines = new Deadlines(executor, ticker::read);
  }

  /** A timer thread of the store's own, on the system clock. */
  static StoreTimer ownThread(String threadName) {
    Set<Thread> threads = ConcurrentHashMap.newKeySet();
    AtomicInteger count = new AtomicInteger();
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            1,
            runnable -> {
              Thread thread = new Thread(runnable, threadName + "-" + count.incrementAndGet());
              thread.setDaemon(true);
              threads.add(thread);
              return thread;
            });
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    return new StoreTimer(executor, Ticker.system(), threads);
  }

  /** A scheduler and clock from outside (tests); {@link #close()} leaves them alone. */
  static StoreTimer injected(ScheduledExecutorService executor, Ticker ticker) {
    return new StoreTimer(executor, ticker, Set.of());
  }

  ScheduledExecutorService executor() {
    return executor;
  }

  Ticker ticker() {
    return ticker;
  }

  /** Request deadlines, on this timer's clock. */
  Deadlines deadlines() {
    return deadlines;
  }

  /** Stops the store's own thread and waits until it is gone. */
  @Override
  public void close() {
    if (threads == Set.<Thread>of()) {
      return;
    }
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
      // A terminated pool's worker may still be on its way out: wait until it is gone.
      for (Thread thread : threads) {
        thread.join(TimeUnit.SECONDS.toMillis(5));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
