package dev.valkeyrie.etcdv2;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Ends exchanges that outlive their deadline, whatever the server does (never answers, trickles,
 * stalls after the headers or in the middle of the body). Socket timeouts cannot do this: they
 * bound each silence, not the whole exchange.
 *
 * <p>Each exchange in flight is armed with its deadline and disarmed when it ends. While anything
 * is armed, a sweep on the store's timer runs every {@link #SWEEP_MILLIS} ms and expires what is
 * due, so an exchange ends at most that much after its deadline. Arming is a set insertion rather
 * than a timer task of its own: a task per request would wake the timer thread on nearly every
 * request at low concurrency, and contend on the timer's queue at high concurrency.
 */
final class Deadlines {
  /** How late past its deadline an exchange may end. */
  static final long SWEEP_MILLIS = 20;

  private final ScheduledExecutorService timer;
  private final LongSupplier nanoTime;
  private final Set<Armed> armed = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean sweeping = new AtomicBoolean();

  /**
   * @param timer runs the sweeps; its tasks must not block, and neither do expiries
   * @param nanoTime the clock deadlines are read against, as {@link System#nanoTime()}
   */
  public Deadlines(ScheduledExecutorService timer, LongSupplier nanoTime) {
    this.timer = timer;
    this.nanoTime = nanoTime;
  }

  /** The current time on this clock, in nanoseconds. */
  public long now() {
    return nanoTime.getAsLong();
  }

  /**
   * Arms {@code expiry} to run once {@code deadlineNanos} has passed, unless the returned handle is
   * disarmed first. The expiry runs on the timer thread and must not block.
   */
  Armed arm(long deadlineNanos, Runnable expiry) {
    Armed entry = new Armed(deadlineNanos, expiry);
    armed.add(entry);
    if (sweeping.compareAndSet(false, true)) {
      schedule();
    }
    return entry;
  }

  private void schedule() {
    try {
      var unused = timer.schedule(this::sweep, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // The store is closing: its transports abort every exchange themselves.
      sweeping.set(false);
    }
  }

  /** Expires what is due; runs again while anything is armed. */
  // The set is concurrent: its iterator tolerates removal, and remove() deciding who expires an
  // entry is what keeps an expiry from racing a disarm.
  @SuppressWarnings("ModifyCollectionInEnhancedForLoop")
  void sweep() {
    long now = nanoTime.getAsLong();
    for (Armed entry : armed) {
      if (now - entry.deadline >= 0 && armed.remove(entry)) {
        entry.expiry.run();
      }
    }
    // Clear the flag before looking: an exchange armed after the look then schedules a sweep.
    sweeping.set(false);
    if (!armed.isEmpty() && sweeping.compareAndSet(false, true)) {
      schedule();
    }
  }

  /** How many exchanges are armed, for tests. */
  int armedCount() {
    return armed.size();
  }

  /** One armed deadline. */
  final class Armed {
    private final long deadline;
    private final Runnable expiry;

    private Armed(long deadline, Runnable expiry) {
      this.deadline = deadline;
      this.expiry = expiry;
    }

    /** The exchange ended: its expiry will not run (unless it already did). */
    void disarm() {
      armed.remove(this);
    }
  }
}
