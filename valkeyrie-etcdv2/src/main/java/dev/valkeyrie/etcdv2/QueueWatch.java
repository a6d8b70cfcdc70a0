package dev.valkeyrie.etcdv2;

import dev.valkeyrie.store.Watch;
import dev.valkeyrie.store.WatchClosedException;
import dev.valkeyrie.store.WatchListener;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer side of a watch: a bounded queue that never blocks the producer. When a slow
 * consumer lets it fill up, the oldest update is dropped, so memory stays bounded and the consumer
 * always ends up with the latest state. Updates are either taken ({@link #take()}, {@link #poll})
 * or pushed to a {@link WatchListener} on an executor, one drain task at a time, holding no thread
 * while the queue is empty.
 */
final class QueueWatch<T> implements Watch<T> {
  private static final Logger LOG = LoggerFactory.getLogger(QueueWatch.class);

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<T> updates = new ArrayDeque<>();
  private final int capacity;
  private final String description;
  private Runnable onClose = () -> {};
  private boolean closedByUser;
  private Throwable failure;
  private WatchListener<? super T> listener;
  private Executor executor;
  private boolean draining;
  private boolean listenerClosed;

  QueueWatch(int capacity, String description) {
    this.capacity = capacity;
    this.description = description;
  }

  /** What to run when the user closes the watch (stop the loop, free the connection). */
  void onClose(Runnable onClose) {
    this.onClose = onClose;
  }

  /** Adds an update; drops the oldest if the queue is full. Never blocks. */
  void offer(T update) {
    lock.lock();
    try {
      if (closedByUser || failure != null) {
        return;
      }
      if (updates.size() >= capacity) {
        updates.pollFirst();
      }
      updates.addLast(update);
      changed.signalAll();
      scheduleDrain();
    } finally {
      lock.unlock();
    }
  }

  /** Ends the watch for good; updates already queued are still delivered, then the end. */
  void fail(Throwable cause) {
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
    if (listener == null || draining || listenerClosed) {
      return;
    }
    draining = true;
    try {
      executor.execute(this::drain);
    } catch (RejectedExecutionException e) {
      draining = false;
      listenerClosed = true;
      LOG.warn("watch on {}: the listener's executor refused work; the watch stops", description);
      failure = failure == null ? e : failure;
      updates.clear();
    }
  }

  private void drain() {
    while (true) {
      T update;
      boolean ended;
      Throwable cause;
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
          listener.onClose(cause);
        } catch (RuntimeException e) {
          LOG.warn("watch on {}: listener failed in onClose", description, e);
        }
        return;
      }
      try {
        listener.onUpdate(update);
      } catch (RuntimeException e) {
        LOG.warn("watch on {}: listener failed on an update; the watch goes on", description, e);
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
  public T poll(Duration timeout) throws InterruptedException {
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
