package dev.valkeyrie.etcdv2.internal;

import dev.valkeyrie.store.Watch;
import dev.valkeyrie.store.WatchClosedException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The consumer side of a watch: a bounded queue that never blocks the producer. When a slow
 * consumer lets it fill up, the oldest update is dropped, so memory stays bounded and the consumer
 * always ends up with the latest state.
 */
final class QueueWatch<T> implements Watch<T> {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<T> updates = new ArrayDeque<>();
  private final int capacity;
  private final String description;
  private Runnable onClose = () -> {};
  private boolean closedByUser;
  private Throwable failure;

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
    } finally {
      lock.unlock();
    }
  }

  /** Ends the watch for good; updates already queued can still be taken, then take() throws. */
  void fail(Throwable cause) {
    lock.lock();
    try {
      if (failure == null) {
        failure = cause;
      }
      changed.signalAll();
    } finally {
      lock.unlock();
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
