package dev.valkeyrie.testsuite;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one task on several threads at once: every thread waits at a start gate until all are ready,
 * then all run; {@link #run} returns when all finished and fails with every task's failure if any
 * failed or the whole did not finish in time.
 */
public final class ConcurrentRunner {

  /** The work of one thread. */
  @FunctionalInterface
  public interface Task {
    /**
     * Does the thread's work.
     *
     * @param thread the thread's number, from 0
     */
    void run(int thread) throws Exception;
  }

  private static final AtomicInteger POOL_COUNTER = new AtomicInteger();

  private ConcurrentRunner() {}

  /**
   * Runs {@code task} on {@code threads} threads released together.
   *
   * @throws AssertionError if a task failed (the first failure is the cause, the others are
   *     suppressed) or not all finished within {@code timeout} (they are then interrupted)
   */
  public static void run(int threads, Duration timeout, Task task) throws InterruptedException {
    int pool = POOL_COUNTER.incrementAndGet();
    ExecutorService executor =
        Executors.newFixedThreadPool(
            threads,
            new java.util.concurrent.ThreadFactory() {
              private final AtomicInteger counter = new AtomicInteger();

              @Override
              public Thread newThread(Runnable runnable) {
                Thread thread =
                    new Thread(
                        runnable, "conformance-" + pool + "-worker-" + counter.getAndIncrement());
                thread.setDaemon(true);
                return thread;
              }
            });
    try {
      CountDownLatch ready = new CountDownLatch(threads);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        int thread = i;
        futures.add(
            executor.submit(
                () -> {
                  ready.countDown();
                  start.await();
                  task.run(thread);
                  return null;
                }));
      }
      long deadline = System.nanoTime() + timeout.toNanos();
      if (!ready.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        throw new AssertionError("the " + threads + " threads did not start within " + timeout);
      }
      start.countDown();
      List<Throwable> failures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        try {
          futures.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
          failures.add(
              new AssertionError("thread " + i + " failed: " + e.getCause(), e.getCause()));
        } catch (TimeoutException e) {
          failures.add(new AssertionError("thread " + i + " did not finish within " + timeout));
        }
      }
      if (!failures.isEmpty()) {
        AssertionError error =
            new AssertionError(
                failures.size()
                    + " of "
                    + threads
                    + " threads failed; first: "
                    + failures.get(0).getMessage(),
                failures.get(0));
        failures.stream().skip(1).forEach(error::addSuppressed);
        throw error;
      }
    } finally {
      executor.shutdownNow();
      executor.awaitTermination(10, TimeUnit.SECONDS);
    }
  }
}
