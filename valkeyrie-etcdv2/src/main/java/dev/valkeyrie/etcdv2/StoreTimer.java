package dev.valkeyrie.etcdv2;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one timer thread of a store, and the clock it reads: renewals, keep-alives, backoff delays,
 * the connection probe and request deadlines all run here. Tasks never block: they only start
 * asynchronous requests.
 */
final class StoreTimer implements AutoCloseable {
  private final ScheduledThreadPoolExecutor executor;
  private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
  private final Deadlines deadlines;

  public StoreTimer(String threadName) {
    AtomicInteger count = new AtomicInteger();
    this.executor = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread thread = new Thread(runnable, threadName + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      threads.add(thread);
      return thread;
    });
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    this.deadlines = new Deadlines(executor, System::nanoTime);
  }

  public ScheduledExecutorService executor() {
    return executor;
  }

  /** Request deadlines, on this timer's clock. */
  public Deadlines deadlines() {
    return deadlines;
  }

  /** Stops the thread and waits until it is gone. */
  @Override
  public void close() {
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
