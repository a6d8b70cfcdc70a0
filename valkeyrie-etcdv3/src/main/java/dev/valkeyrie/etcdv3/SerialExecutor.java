package dev.valkeyrie.etcdv3;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs tasks one at a time, in submission order, on another executor (the store's callback
 * threads), holding no thread while idle. The watch stream's state is confined to one of these, so
 * it needs no locks. Tasks must not block. A task that throws is logged; the next one runs.
 */
final class SerialExecutor implements Executor {
  private static final Logger LOG = System.getLogger(SerialExecutor.class.getName());

  /** Tasks run per turn before the thread is handed back, so other callbacks get their turn. */
  private static final int BATCH = 256;

  private final Executor threads;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final Runnable drain = this::drain;

  SerialExecutor(Executor threads) {
    this.threads = threads;
  }

  @Override
  public void execute(Runnable task) {
    tasks.add(task);
    schedule();
  }

  private void schedule() {
    if (scheduled.compareAndSet(false, true)) {
      try {
        threads.execute(drain);
      } catch (RejectedExecutionException e) {
        // The store's threads are gone: it is closed, and what is left cannot run any more.
        scheduled.set(false);
        tasks.clear();
      }
    }
  }

  private void drain() {
    try {
      for (int i = 0; i < BATCH; i++) {
        Runnable task = tasks.poll();
        if (task == null) {
          break;
        }
        try {
          task.run();
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "a watch task failed", e);
        }
      }
    } finally {
      scheduled.set(false);
      if (!tasks.isEmpty()) {
        schedule();
      }
    }
  }
}
