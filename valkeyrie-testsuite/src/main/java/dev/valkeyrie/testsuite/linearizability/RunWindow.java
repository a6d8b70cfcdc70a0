package dev.valkeyrie.testsuite.linearizability;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The start gate and the end of a run, shared by its threads: they all wait at {@link #awaitOpen},
 * {@link #open} releases them together and starts the clock, and they run while {@link #running}
 * (until the duration is over or {@link #close} is called).
 */
final class RunWindow {

  private final CountDownLatch ready;
  private final CountDownLatch gate = new CountDownLatch(1);
  private final CountDownLatch closed = new CountDownLatch(1);
  private volatile long startNanos;
  private volatile long deadlineNanos;

  RunWindow(int threads) {
    ready = new CountDownLatch(threads);
  }

  /** Called by each thread: says it is ready, then waits for {@link #open}. */
  void awaitOpen() throws InterruptedException {
    ready.countDown();
    gate.await();
  }

  /**
   * Waits until every thread is ready, then releases them for {@code duration}.
   *
   * @return {@code false} if not all were ready within {@code timeout} (nothing is released)
   */
  boolean open(Duration duration, Duration timeout) throws InterruptedException {
    if (!ready.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
      return false;
    }
    startNanos = System.nanoTime();
    deadlineNanos = startNanos + duration.toNanos();
    gate.countDown();
    return true;
  }

  boolean running() {
    return closed.getCount() > 0 && System.nanoTime() - deadlineNanos < 0;
  }

  /** Waits up to {@code pause}, returning early (with {@code true}) once the run is closed. */
  boolean awaitClosed(Duration pause) throws InterruptedException {
    return closed.await(pause.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Ends the run early, or after it, releases whoever waits in {@link #awaitClosed}. */
  void close() {
    closed.countDown();
  }

  /** How long until the end of the run (negative once over). */
  long remainingNanos() {
    return deadlineNanos - System.nanoTime();
  }

  /** Time since {@link #open}. */
  Duration elapsed() {
    return gate.getCount() > 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - startNanos);
  }
}
