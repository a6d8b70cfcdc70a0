package dev.valkeyrie.store.spi;

import dev.valkeyrie.store.Watch;
import dev.valkeyrie.store.WatchClosedException;
import dev.valkeyrie.store.WatchListener;
import dev.valkeyrie.store.WatchOverflowException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The consumer side of a watch, for any backend: a bounded queue that never blocks the producer
 * (the backend's watch loop). When a slow consumer lets it fill up, {@link Overflow} decides: the
 * oldest update is dropped (values and snapshots, where the latest supersedes the rest), or the
 * watch ends with a {@link WatchOverflowException} after the queued updates (events, where each one
 * counts and none may go missing untold). Updates are either taken ({@link #take()}, {@link #poll})
 * or pushed to a {@link WatchListener} on an executor, one drain task at a time, holding no thread
 * while the queue is empty.
 *
 * @param <T> the update type
 */
public final class BufferedWatch<T> implements Watch<T> {
  private static final Logger LOG = System.getLogger(BufferedWatch.class.getName());

  /** What a full queue does with one more update. */
  public enum Overflow {
    /** Drops the oldest update: the consumer always ends up with the latest state. */
    DROP_OLDEST,
    /** Ends the watch with a {@link WatchOverflowException} once the queued updates are taken. */
    FAIL
  }

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<T> updates = new ArrayDeque<>();
  private final int capacity;
  private final Overflow overflow;
  private final String description;
  private Runnable onClose = () -> {};
  private boolean closedByUser;
  private @Nullable Throwable failure;
  private @Nullable WatchListener<? super T> listener;
  private @Nullable Executor executor;
  private boolean draining;
  private boolean listenerClosed;

  /**
   * @param capacity how many updates wait for a consumer that falls behind
   * @param description what is watched, for messages ({@code "key 'a/b'"})
   */
  public BufferedWatch(int capacity, Overflow overflow, String description) {
    if (capacity < 1) {
      throw new IllegalArgumentException("a watch needs room for one update, not " + capacity);
    }
    this.capacity = capacity;
    this.overflow = Objects.requireNonNull(overflow, "overflow");
    this.description = Objects.requireNonNull(description, "description");
  }

  /**
   * What stops the producer (the watch loop, its connection): run once, when the user closes the
   * watch or when it overflows.
   */
  public void onClose(Runnable onClose) {
    this.onClose = Objects.requireNonNull(onClose, "onClose");
  }

  /** Adds an update. Never blocks; a full queue does what its {@link Overflow} says. */
  public void offer(T update) {
    boolean overflowed = false;
    lock.lock();
    try {
      if (closedByUser || failure != null) {
        return;
      }
      if (updates.size() >= capacity) {
        if (overflow == Overflow.FAIL) {
          failure =
              new WatchOverflowException(
                  "watch on "
                      + description
                      + ": the consumer fell "
                      + capacity
                      + " updates behind, so the watch ended rather than drop one; take"
                      + " updates faster, give the watch more room, or read the current state anew");
          overflowed = true;
        } else {
          updates.pollFirst();
        }
      }
      if (!overflowed) {
        updates.addLast(update);
      }
      changed.signalAll();
      scheduleDrain();
    } finally {
      lock.unlock();
    }
    if (overflowed) {
      onClose.run();
    }
  }

  /** Ends the watch for good; updates already queued are still delivered, then the end. */
  public void fail(Throwable cause) {
    lock.lock();
    try {
      if (failure == null) {
        failure = cause;
      }
      changed.signalAll();
      scheduleDrain();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void listen(WatchListener<? super T> listener, Executor executor) {
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(executor, "executor");
    lock.lock();
    try {
      if (this.listener != null) {
        throw new IllegalStateException("watch on " + description + " already has a listener");
      }
      this.listener = listener;
      this.executor = executor;
      changed.signalAll(); // a thread blocked in take() must now fail
      scheduleDrain();
    } finally {
      lock.unlock();
    }
  }

  /** Called with the lock held. */
  private void scheduleDrain() {
    Executor target = executor;
    if (listener == null || target == null || draining || listenerClosed) {
      return;
    }
    draining = true;
    try {
      target.execute(this::drain);
    } catch (RejectedExecutionException e) {
      draining = false;
      listenerClosed = true;
      LOG.log(
          Level.WARNING,
          "watch on " + description + ": the listener's executor refused work; the watch stops");
      failure = failure == null ? e : failure;
      updates.clear();
    }
  }

  private void drain() {
    WatchListener<? super T> receiver;
    lock.lock();
    try {
      receiver = Objects.requireNonNull(listener, "drained without a listener");
    } finally {
      lock.unlock();
    }
    while (true) {
      T update;
      boolean ended;
      @Nullable Throwable cause;
      lock.lock();
      try {
        update = updates.pollFirst();
        ended = update == null && (closedByUser || failure != null) && !listenerClosed;
        cause = closedByUser ? null : failure;
        if (update == null) {
          listenerClosed |= ended;
          draining = false;
          if (!ended) {
            return;
          }
        }
      } finally {
        lock.unlock();
      }
      if (ended) {
        try {
          receiver.onClose(cause);
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "watch on " + description + ": listener failed in onClose", e);
        }
        return;
      }
      try {
        receiver.onUpdate(update);
      } catch (RuntimeException e) {
        LOG.log(
            Level.WARNING,
            "watch on " + description + ": listener failed on an update; the watch goes on",
            e);
      }
    }
  }

  @Override
  public T take() throws InterruptedException {
    lock.lock();
    try {
      while (true) {
        T update = next();
        if (update != null) {
          return update;
        }
        changed.await();
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public @Nullable T poll(Duration timeout) throws InterruptedException {
    long nanos = timeout.toNanos();
    lock.lock();
    try {
      while (true) {
        T update = next();
        if (update != null) {
          return update;
        }
        if (nanos <= 0) {
          return null;
        }
        nanos = changed.awaitNanos(nanos);
      }
    } finally {
      lock.unlock();
    }
  }

  private T next() {
    if (listener != null) {
      throw new IllegalStateException("watch on " + description + " delivers to a listener");
    }
    if (closedByUser) {
      throw new WatchClosedException("watch on " + description + " was closed");
    }
    T update = updates.pollFirst();
    if (update == null && failure != null) {
      throw new WatchClosedException(
          "watch on " + description + " ended: " + failure.getMessage(), failure);
    }
    return update;
  }

  @Override
  public boolean isClosed() {
    lock.lock();
    try {
      return closedByUser || failure != null;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      if (closedByUser) {
        return;
      }
      closedByUser = true;
      updates.clear();
      changed.signalAll();
      scheduleDrain();
    } finally {
      lock.unlock();
    }
    onClose.run();
  }

  @Override
  public String toString() {
    return "Watch[" + description + "]";
  }
}
