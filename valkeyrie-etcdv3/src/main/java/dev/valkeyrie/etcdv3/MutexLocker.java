package dev.valkeyrie.etcdv3;

import dev.valkeyrie.store.Lease;
import dev.valkeyrie.store.LockNotHeldException;
import dev.valkeyrie.store.LockOptions;
import dev.valkeyrie.store.Locker;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A lock on etcd v3: etcd's own mutex recipe on the prefix {@code <key>___lock/}, one lease per
 * holding (see {@link MutexSession}). Because it is etcd's recipe on that prefix, it excludes
 * {@code etcdctl lock '<key>___lock'} and Go programs using {@code concurrency.NewMutex} on the
 * same name, and they exclude it.
 *
 * <p>While held, the lock's value is on the holder's key (written in the acquiring txn) and under
 * the locked key itself, as on v2: with {@link LockOptions#deleteOnUnlock()} on the holding's lease
 * (it goes at unlock, and with the lease if the holder dies), otherwise without a lease (it stays
 * after unlock). Not reentrant. {@link #lock()} waits as long as it takes (every request has the
 * request timeout; a cluster that cannot serve is tried again after a pause of up to 2 s); {@link
 * #tryLock} gives up at its timeout and leaves nothing behind.
 */
final class MutexLocker implements Locker {
  private static final long MIN_PAUSE_MS = 50;
  private static final long MAX_PAUSE_MS = 2_000;

  private final Locks locks;
  private final StoreContext context;
  private final Key key;
  private final byte[] value;
  private final long ttlSeconds;
  private final boolean deleteOnUnlock;
  private @Nullable MutexSession current; // guarded by this

  MutexLocker(Locks locks, Key key, LockOptions options) {
    this.locks = locks;
    this.context = locks.context();
    this.key = key;
    this.value = options.value();
    this.ttlSeconds = Leases.ttlSeconds(options.ttl(), key.name());
    this.deleteOnUnlock = options.deleteOnUnlock();
  }

  @Override
  public Lease lock() throws InterruptedException {
    return acquire(MutexSession.Until.never()).orElseThrow();
  }

  @Override
  public Optional<Lease> tryLock(Duration timeout) throws InterruptedException {
    return acquire(MutexSession.Until.after(timeout, context.time().now()));
  }

  @Override
  public void unlock() {
    MutexSession session;
    synchronized (this) {
      session = current;
      current = null;
    }
    if (session == null) {
      throw new LockNotHeldException("lock on '" + key.name() + "' is not held by this locker");
    }
    session.unlock();
  }

  private Optional<Lease> acquire(MutexSession.Until until) throws InterruptedException {
    context.checkOpen();
    synchronized (this) {
      if (current != null && current.isHeld()) {
        throw new IllegalStateException(
            "this locker already holds the lock on '" + key.name() + "'; locks are not reentrant");
      }
    }
    long pauseMs = MIN_PAUSE_MS;
    while (true) {
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      context.checkOpen();
      MutexSession session = new MutexSession(locks, this, context.leases().newId());
      MutexSession.Outcome outcome;
      try {
        outcome = session.acquire(until);
      } catch (InterruptedException | RuntimeException | Error e) {
        session.abandon();
        throw e;
      }
      if (outcome == MutexSession.Outcome.HELD) {
        synchronized (this) {
          current = session;
        }
        return Optional.of(session);
      }
      session.abandon();
      long now = context.time().now();
      if (outcome == MutexSession.Outcome.TIMED_OUT || until.passed(now)) {
        return Optional.empty();
      }
      if (outcome == MutexSession.Outcome.RETRY) {
        pause(Math.min(TimeUnit.MILLISECONDS.toNanos(pauseMs), until.remaining(now)));
        pauseMs = Math.min(pauseMs * 2, MAX_PAUSE_MS);
      } else {
        pause(TimeUnit.MILLISECONDS.toNanos(MIN_PAUSE_MS));
      }
    }
  }

  /** Waits on the store's clock (not a sleep of the real one, so tests can drive it). */
  private void pause(long nanos) throws InterruptedException {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Future<?> timer;
    try {
      timer =
          context
              .time()
              .scheduler()
              .schedule(() -> done.complete(null), nanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      return; // the store is closing: the next checkOpen() says so
    }
    try {
      done.get();
    } catch (ExecutionException e) {
      // never: completes normally
    } finally {
      timer.cancel(false);
    }
  }

  Key key() {
    return key;
  }

  byte[] value() {
    return value.clone();
  }

  long ttlSeconds() {
    return ttlSeconds;
  }

  boolean deleteOnUnlock() {
    return deleteOnUnlock;
  }

  @Override
  public String toString() {
    return "Locker[" + key.name() + "]";
  }
}
