package dev.valkeyrie.etcdv3;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;

/**
 * The executor of one blocking call: gRPC's callbacks (the answer's parsing, the listener) are
 * queued here and run by the thread waiting for the answer, as gRPC's own blocking stubs do. The
 * store's single event loop thread then only moves bytes, and the parsing of concurrent answers
 * spreads over their callers' threads instead of queueing behind each other on it.
 *
 * <p>One waiter per instance: the thread that calls {@link #runUntil}.
 */
final class CallerRuns implements Executor {
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final Thread waiter = Thread.currentThread();

  @Override
  public void execute(Runnable task) {
    tasks.add(task);
    LockSupport.unpark(waiter);
  }

  /**
   * Runs the queued callbacks in the calling thread until {@code done} is done.
   *
   * @throws InterruptedException if the thread is interrupted first (the callbacks queued so far
   *     have run)
   */
  void runUntil(Future<?> done) throws InterruptedException {
    while (true) {
      runQueued();
      if (done.isDone()) {
        return;
      }
      LockSupport.park(this);
      if (Thread.interrupted()) {
        runQueued();
        throw new InterruptedException();
      }
    }
  }

  /**
   * Runs the queued callbacks until {@code done} is done or {@code nanos} have passed, whatever
   * interrupts: after an interrupted wait, to let the cancelled call end.
   *
   * @return whether {@code done} is done
   */
  boolean runUntilUninterruptibly(Future<?> done, long nanos) {
    long deadline = System.nanoTime() + nanos;
    boolean interrupted = false;
    try {
      while (true) {
        runQueued();
        if (done.isDone()) {
          return true;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        LockSupport.parkNanos(this, left);
        interrupted |= Thread.interrupted();
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void runQueued() {
    for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
      task.run();
    }
  }
}
