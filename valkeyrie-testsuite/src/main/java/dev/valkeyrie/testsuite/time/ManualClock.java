package dev.valkeyrie.testsuite.time;

import dev.valkeyrie.store.spi.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * A clock and a scheduler that move only when a test says so, as Caffeine's fake {@code Ticker}
 * does: {@link #advance} moves the time and runs, in the calling thread and in time order, every
 * task that falls due. Code under test that takes a {@link Ticker} and a {@link
 * ScheduledExecutorService} is then tested without waiting in real time.
 *
 * <p>Thread-safe; tasks run only inside {@link #advance} and {@link #runDue}.
 */
public final class ManualClock extends AbstractExecutorService
    implements ScheduledExecutorService, Ticker {
  private final PriorityQueue<Task<?>> tasks = new PriorityQueue<>();
  private long now;
  private long sequence;
  private boolean shutdown;

  @Override
  public synchronized long read() {
    return now;
  }

  /** Moves the time on by {@code duration}, running each task as its time comes. */
  public void advance(Duration duration) {
    long until;
    synchronized (this) {
      until = now + duration.toNanos();
    }
    while (true) {
      Task<?> next;
      synchronized (this) {
        next = tasks.peek();
        if (next == null || next.at > until) {
          now = until;
          return;
        }
        tasks.poll();
        now = Math.max(now, next.at);
      }
      next.run();
    }
  }

  /** Runs what is due now (tasks given to {@link #execute}, zero delays). */
  public void runDue() {
    advance(Duration.ZERO);
  }

  /** How many tasks wait, cancelled ones not counted. */
  public synchronized int pending() {
    return (int) tasks.stream().filter(t -> !t.isCancelled()).count();
  }

  @Override
  public void execute(Runnable command) {
    // As in ScheduledThreadPoolExecutor: execute() is schedule() with no delay, its future unused.
    ScheduledFuture<?> unused = schedule(command, 0, TimeUnit.NANOSECONDS);
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    return add(
        new Task<>(
            () -> {
              command.run();
              return null;
            },
            unit.toNanos(delay),
            0));
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    return add(new Task<>(callable, unit.toNanos(delay), 0));
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(
      Runnable command, long initialDelay, long period, TimeUnit unit) {
    return repeating(command, initialDelay, period, unit);
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(
      Runnable command, long initialDelay, long delay, TimeUnit unit) {
    // Tasks take no time on this clock: a fixed delay is a fixed rate.
    return repeating(command, initialDelay, delay, unit);
  }

  private ScheduledFuture<?> repeating(
      Runnable command, long initialDelay, long period, TimeUnit unit) {
    if (period <= 0) {
      throw new IllegalArgumentException("period must be positive: " + period);
    }
    return add(
        new Task<>(
            () -> {
              command.run();
              return null;
            },
            unit.toNanos(initialDelay),
            unit.toNanos(period)));
  }

  private synchronized <V> Task<V> add(Task<V> task) {
    if (shutdown) {
      throw new java.util.concurrent.RejectedExecutionException("the manual clock is shut down");
    }
    task.at = now + Math.max(0, task.delay);
    task.order = sequence++;
    tasks.add(task);
    return task;
  }

  private synchronized void reschedule(Task<?> task) {
    if (!shutdown) {
      task.at += task.period;
      task.order = sequence++;
      tasks.add(task);
    }
  }

  @Override
  public synchronized void shutdown() {
    shutdown = true;
  }

  @Override
  public synchronized List<Runnable> shutdownNow() {
    shutdown = true;
    List<Runnable> left = new ArrayList<>(tasks);
    tasks.clear();
    return left;
  }

  @Override
  public synchronized boolean isShutdown() {
    return shutdown;
  }

  @Override
  public synchronized boolean isTerminated() {
    return shutdown;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return isShutdown();
  }

  /** A task waiting for its time. */
  private final class Task<V> implements ScheduledFuture<V>, Runnable {
    private final Callable<V> work;
    private final long delay;
    private final long period;
    private long at; // guarded by the clock
    private long order; // guarded by the clock
    private boolean cancelled; // guarded by this
    private boolean done; // guarded by this
    private @Nullable V result; // guarded by this
    private @Nullable Throwable failure; // guarded by this

    Task(Callable<V> work, long delay, long period) {
      this.work = work;
      this.delay = delay;
      this.period = period;
    }

    @Override
    public void run() {
      synchronized (this) {
        if (cancelled || done) {
          return;
        }
      }
      try {
        V value = work.call();
        synchronized (this) {
          if (period == 0) {
            result = value;
            done = true;
          }
        }
        if (period != 0) {
          reschedule(this);
        }
      } catch (Throwable e) {
        synchronized (this) {
          failure = e;
          done = true; // a repeating task that throws stops, as in the JDK's scheduler
        }
      }
    }

    @Override
    public long getDelay(TimeUnit unit) {
      synchronized (ManualClock.this) {
        return unit.convert(at - now, TimeUnit.NANOSECONDS);
      }
    }

    @Override
    public int compareTo(Delayed other) {
      Task<?> that = (Task<?>) other;
      return at != that.at ? Long.compare(at, that.at) : Long.compare(order, that.order);
    }

    @Override
    public synchronized boolean cancel(boolean mayInterruptIfRunning) {
      if (done || cancelled) {
        return false;
      }
      cancelled = true;
      return true;
    }

    @Override
    public synchronized boolean isCancelled() {
      return cancelled;
    }

    @Override
    public synchronized boolean isDone() {
      return done || cancelled;
    }

    @Override
    public synchronized @Nullable V get() throws ExecutionException {
      if (cancelled) {
        throw new CancellationException();
      }
      if (!done) {
        throw new IllegalStateException("not run yet: advance the manual clock first");
      }
      if (failure != null) {
        throw new ExecutionException(failure);
      }
      return result;
    }

    @Override
    public @Nullable V get(long timeout, TimeUnit unit)
        throws ExecutionException, TimeoutException {
      synchronized (this) {
        if (!done && !cancelled) {
          throw new TimeoutException("not run yet: advance the manual clock first");
        }
      }
      return get();
    }
  }
}
