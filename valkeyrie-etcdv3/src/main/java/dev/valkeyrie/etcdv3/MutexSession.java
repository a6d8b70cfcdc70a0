package dev.valkeyrie.etcdv3;

import com.google.protobuf.ByteString;
import dev.valkeyrie.etcdv3.rpc.KVGrpc;
import dev.valkeyrie.etcdv3.rpc.RangeResponse;
import dev.valkeyrie.etcdv3.rpc.TxnResponse;
import dev.valkeyrie.etcdv3.rpc.mvcc.KeyValue;
import dev.valkeyrie.store.AccessDeniedException;
import dev.valkeyrie.store.CannotLockException;
import dev.valkeyrie.store.Lease;
import dev.valkeyrie.store.LockNotHeldException;
import dev.valkeyrie.store.StoreClosedException;
import dev.valkeyrie.store.StoreException;
import dev.valkeyrie.store.StoreUnavailableException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * One acquisition of a lock, from its lease to the end of its holding: etcd's mutex recipe
 * (clientv3 {@code concurrency.Mutex}, as of 3.5, with its fixes) with a lease of its own.
 *
 * <ol>
 *   <li>A lease with a client-chosen ID and the lock's TTL, kept alive on the store's shared
 *       keep-alive stream ({@link Leases}).
 *   <li>{@link Locks#acquire}: the own key {@code <key>___lock/<lease hex>} with the lock's value
 *       on the lease, and the oldest key of the prefix. Its create revision {@code myRev} is the
 *       place in the queue and the fencing token (pitfall 1: never {@code mod_revision}).
 *   <li>Unless the oldest key is the own key: {@link Locks#predecessor} (the key created last
 *       before {@code myRev}, and the own key), then a watch on that ONE key until it is deleted
 *       ({@link LockWatches}: no herd), and again, until there is no predecessor.
 *   <li>{@link Locks#take}: held iff the own key still exists with {@code myRev} (pitfall 28),
 *       writing the lock's value under the locked key in the same txn.
 * </ol>
 *
 * <p>A holding ends with {@link #unlock} (the fenced {@link Locks#release}, then revoking the
 * lease), when its lease is lost (the keep-alive answered TTL &le; 0, or no renewal succeeded
 * within the TTL), when its own key is deleted or overwritten by someone else (a watch on it), or
 * when the store closes (released as by unlock, within the request timeout). An acquisition that
 * gives up (timeout, interruption, failure) withdraws: its key is deleted and its lease revoked
 * before it returns, and the revoke is resent until etcd confirms (jetcd's ghost holder, pitfall
 * 27).
 */
final class MutexSession implements Lease, StoreContext.Resource {
  private static final Logger LOG = System.getLogger(MutexSession.class.getName());

  /** A waiter re-reads the queue this often even if its watch says nothing (a safety net). */
  static final long RECHECK_NANOS = TimeUnit.SECONDS.toNanos(30);

  /** What {@link #acquire} ended with. */
  enum Outcome {
    /** The lock is held. */
    HELD,
    /** The deadline passed while waiting. */
    TIMED_OUT,
    /** The cluster could not serve a step: try again after a pause. */
    RETRY,
    /** The lease or the own key was lost while waiting: start over with a new lease. */
    RETRY_NOW
  }

  private enum Phase {
    ACQUIRING,
    HELD,
    ENDED
  }

  private final Locks locks;
  private final StoreContext context;
  private final CallLayer calls;
  private final Key key;
  private final ByteString own;
  private final ByteString prefix;
  private final byte[] value;
  private final long ttlSeconds;
  private final boolean deleteOnUnlock;
  private final long leaseId;

  /** Fails when the acquisition must stop: the lease was lost, or the store closed. */
  private final CompletableFuture<Void> abort = new CompletableFuture<>();

  private final CompletableFuture<Void> released = new CompletableFuture<>();
  // Guarded by this.
  private Phase phase = Phase.ACQUIRING;
  private long myRev;
  private boolean keySent;
  private @Nullable CompletableFuture<?> cleanup;
  private LockWatches.@Nullable Wait ownWatch;
  private volatile @Nullable String lostReason;

  MutexSession(Locks locks, MutexLocker locker, long leaseId) {
    this.locks = locks;
    this.context = locks.context();
    this.calls = context.calls();
    this.key = locker.key();
    this.prefix = Locks.prefix(key);
    this.own = Locks.ownKey(prefix, leaseId);
    this.value = locker.value();
    this.ttlSeconds = locker.ttlSeconds();
    this.deleteOnUnlock = locker.deleteOnUnlock();
    this.leaseId = leaseId;
  }

  // --- acquiring (the locking thread) ---

  /**
   * Runs the recipe in the calling thread. Every request has the store's request timeout; only the
   * waits for a predecessor use {@code until}.
   *
   * @throws StoreClosedException if the store closed
   * @throws AccessDeniedException if etcd refused a request for lack of permission
   * @throws CannotLockException if etcd refused a request for another reason
   */
  Outcome acquire(Until until) throws InterruptedException {
    context.register(this);
    Op op = Op.idempotent("lock", key.name());
    try {
      step(context.leases().grant(leaseId, ttlSeconds, op));
      synchronized (this) {
        if (phase == Phase.ENDED) {
          throw closed();
        }
        context.leases().keepAlive(leaseId, ttlSeconds, this::leaseLost);
        keySent = true;
      }
      TxnResponse acquired =
          step(calls.send(KVGrpc.getTxnMethod(), Locks.acquire(prefix, own, value, leaseId), op));
      long rev =
          acquired.getSucceeded()
              ? acquired.getHeader().getRevision()
              : createRevision(acquired.getResponses(0).getResponseRange());
      RangeResponse oldest = acquired.getResponses(1).getResponseRange();
      if (rev <= 0 || oldest.getKvsCount() == 0) {
        return Outcome.RETRY_NOW; // the key is gone already (an expired lease)
      }
      synchronized (this) {
        myRev = rev;
      }
      boolean waiting = oldest.getKvs(0).getCreateRevision() != rev;
      while (waiting) {
        TxnResponse queue =
            step(
                calls.send(
                    KVGrpc.getTxnMethod(),
                    Locks.predecessor(prefix, own, rev),
                    Op.read("lock", key.name())));
        if (createRevision(queue.getResponses(0).getResponseRange()) != rev) {
          return Outcome.RETRY_NOW; // the own key is gone: its lease expired, or it was deleted
        }
        RangeResponse before = queue.getResponses(1).getResponseRange();
        if (before.getKvsCount() == 0) {
          break;
        }
        Waited waited = awaitEnd(before.getKvs(0), queue.getHeader().getRevision(), until);
        if (waited == Waited.TIMED_OUT) {
          return Outcome.TIMED_OUT;
        }
      }
      TxnResponse taken =
          step(
              calls.send(
                  KVGrpc.getTxnMethod(),
                  Locks.take(key, own, rev, value, deleteOnUnlock ? leaseId : 0),
                  op));
      if (!taken.getSucceeded()) {
        // Its key ended while it waited: the 3.4 recipe would report the lock held here.
        return Outcome.RETRY_NOW;
      }
      LockWatches.Wait watch;
      synchronized (this) {
        if (phase == Phase.ENDED) {
          throw closed();
        }
        phase = Phase.HELD;
        watch = locks.watches().awaitEnd(own, rev, leaseId, taken.getHeader().getRevision());
        ownWatch = watch;
      }
      var unused = watch.ended().whenComplete((ignored, failure) -> ownKeyEnded(failure));
      return Outcome.HELD;
    } catch (LeaseLost e) {
      return Outcome.RETRY_NOW;
    } catch (StoreUnavailableException e) {
      LOG.log(Level.DEBUG, () -> "lock '" + key.name() + "': " + e.getMessage() + "; trying again");
      return Outcome.RETRY;
    } catch (StoreClosedException | AccessDeniedException e) {
      throw e;
    } catch (StoreException e) {
      if (isUnknownLease(e)) {
        return Outcome.RETRY_NOW; // the lease expired between the grant and the txn
      }
      throw new CannotLockException("cannot lock '" + key.name() + "': " + e.getMessage(), e);
    }
  }

  private enum Waited {
    ENDED,
    RECHECK,
    TIMED_OUT
  }

  /** Waits until the predecessor's key ends, the re-check period passes, or {@code until}. */
  private Waited awaitEnd(KeyValue predecessor, long seenAt, Until until)
      throws InterruptedException {
    LockWatches.Wait wait =
        locks.watches().awaitEnd(predecessor.getKey(), predecessor.getCreateRevision(), 0, seenAt);
    CompletableFuture<Void> timer = new CompletableFuture<>();
    long now = context.time().now();
    long delay = Math.min(RECHECK_NANOS, until.remaining(now));
    Future<?> alarm = schedule(() -> timer.complete(null), delay);
    try {
      CompletableFuture.anyOf(wait.ended(), abort, timer).get();
    } catch (ExecutionException e) {
      // Examined below.
    } finally {
      if (alarm != null) {
        alarm.cancel(false);
      }
      if (!wait.ended().isDone()) {
        wait.cancel();
      }
    }
    checkAbort();
    if (wait.ended().isDone()) {
      join(wait.ended());
      return Waited.ENDED;
    }
    return until.passed(context.time().now()) ? Waited.TIMED_OUT : Waited.RECHECK;
  }

  /** Waits for one request (each has the request timeout), unless the acquisition must stop. */
  private <T> T step(CompletableFuture<T> request) throws InterruptedException {
    try {
      CompletableFuture.anyOf(request, abort).get();
    } catch (InterruptedException e) {
      request.cancel(false);
      throw e;
    } catch (ExecutionException e) {
      // Examined below.
    }
    checkAbort();
    return join(request);
  }

  private void checkAbort() {
    if (abort.isCompletedExceptionally()) {
      Throwable why = abort.handle((v, failure) -> failure).join();
      if (why instanceof StoreClosedException closed) {
        throw closed;
      }
      throw new LeaseLost();
    }
  }

  private static <T> T join(CompletableFuture<T> done) {
    try {
      return done.join();
    } catch (CompletionException e) {
      Throwable cause = Errors.unwrap(e);
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new StoreException(Errors.describe(cause), cause);
    }
  }

  private static long createRevision(RangeResponse range) {
    return range.getKvsCount() == 0 ? 0 : range.getKvs(0).getCreateRevision();
  }

  /** The keep-alive gave the lease up. */
  private void leaseLost() {
    boolean held;
    synchronized (this) {
      if (phase == Phase.ENDED) {
        return;
      }
      held = phase == Phase.HELD;
      if (!held) {
        abort.completeExceptionally(new LeaseLost());
      }
    }
    if (held) {
      lost(
          "its lease was lost (etcd said it expired, or no renewal succeeded within its TTL of "
              + ttlSeconds
              + " s)");
    }
  }

  /**
   * Gives the acquisition up (timed out, interrupted, failed, or to start over): deletes the own
   * key and revokes the lease, waiting up to the request timeout for etcd to confirm; an
   * unconfirmed revoke goes on in the background ({@link Locks#revoke}). The interrupt status is
   * kept. No-op once held.
   */
  void abandon() {
    CompletableFuture<?> withdrawal;
    synchronized (this) {
      if (phase == Phase.HELD) {
        return;
      }
      if (cleanup == null) {
        phase = Phase.ENDED;
        cleanup = withdraw();
      }
      withdrawal = cleanup;
    }
    context.unregister(this);
    awaitUninterruptibly(withdrawal, context.config().requestTimeout().plusSeconds(1));
  }

  /** Called with the lock held. */
  private CompletableFuture<?> withdraw() {
    Op op = Op.write("lock", key.name());
    if (!keySent) {
      // No key can exist; the lease (if granted at all) has no key and is not kept alive.
      var unused = context.leases().revoke(leaseId, op);
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<?> deleted =
        calls
            .send(KVGrpc.getTxnMethod(), Locks.withdraw(own, myRev), op)
            .handle((r, failure) -> null);
    CompletableFuture<Boolean> revoked = locks.revoke(leaseId, ttlSeconds, op);
    return CompletableFuture.allOf(deleted, revoked);
  }

  // --- holding ---

  /** The own key was deleted or overwritten (or its watch failed). */
  private void ownKeyEnded(@Nullable Throwable failure) {
    if (failure == null) {
      lost(
          "its key "
              + Key.nameOf(own)
              + " was deleted or overwritten (its lease expired or was"
              + " revoked, or someone else deleted it)");
      return;
    }
    Throwable cause = Errors.unwrap(failure);
    if (cause instanceof StoreClosedException || cause instanceof CancellationException) {
      return; // shutdown() ends the holding
    }
    LOG.log(
        Level.WARNING,
        () ->
            "lock on '"
                + key.name()
                + "': cannot watch its key "
                + Key.nameOf(own)
                + " ("
                + cause.getMessage()
                + "); only the lease's keep-alive tells"
                + " that the holding ended");
  }

  /** The holding ended without unlock: released at once; the lease revoked best effort. */
  private void lost(String reason) {
    LockWatches.Wait watch;
    synchronized (this) {
      if (phase != Phase.HELD) {
        return;
      }
      phase = Phase.ENDED;
      lostReason = reason;
      watch = ownWatch;
    }
    LOG.log(
        Level.WARNING,
        () -> "lock on '" + key.name() + "' (fencing token " + myRev + ") lost: " + reason);
    if (watch != null) {
      watch.cancel();
    }
    context.unregister(this);
    released.complete(null);
    // The key may still be there (a local deadline passed first, a put detached it from the
    // lease): revoking removes whatever is still on this holding's lease, the value included.
    var unused = locks.revoke(leaseId, ttlSeconds, Op.write("lock", key.name()));
  }

  /**
   * Releases: the fenced delete of the own key (and of the value with deleteOnUnlock), then the
   * lease's revoke. Waits (uninterruptibly) for each up to the request timeout.
   *
   * @throws LockNotHeldException if the holding had ended, or its key was gone at unlock
   * @throws StoreUnavailableException if etcd confirmed neither; the lock then ends when its lease
   *     expires, at most a TTL later (its keep-alive has stopped)
   */
  void unlock() {
    LockWatches.Wait watch;
    long rev;
    synchronized (this) {
      if (phase != Phase.HELD) {
        throw notHeld();
      }
      phase = Phase.ENDED;
      watch = ownWatch;
      rev = myRev;
    }
    if (watch != null) {
      watch.cancel();
    }
    context.unregister(this);
    Op op = Op.write("unlock", key.name());
    Duration bound = context.config().requestTimeout().plusSeconds(1);
    boolean wasHeld = true;
    StoreException failure = null;
    try {
      TxnResponse response =
          awaitUninterruptibly(
              calls.send(
                  KVGrpc.getTxnMethod(),
                  Locks.release(key, own, rev, deleteOnUnlock ? leaseId : 0),
                  op),
              bound);
      wasHeld = response == null || response.getSucceeded();
      if (response == null) {
        failure =
            new StoreUnavailableException(
                "unlock '" + key.name() + "': etcd did not" + " answer in time", null, true);
      }
    } catch (StoreException e) {
      failure = e;
    }
    Boolean revoked = awaitUninterruptibly(locks.revoke(leaseId, ttlSeconds, op), bound);
    released.complete(null);
    if (!wasHeld) {
      lostReason =
          "its key was gone at unlock (its lease expired or was revoked, or someone"
              + " deleted it)";
      throw notHeld();
    }
    if (failure != null && !Boolean.TRUE.equals(revoked)) {
      throw new StoreUnavailableException(
          "unlock of '"
              + key.name()
              + "' not confirmed by etcd ("
              + failure.getMessage()
              + "); the lock ends at the latest when its lease expires (TTL "
              + ttlSeconds
              + " s), its keep-alive has stopped",
          failure,
          true);
    }
  }

  /** The store is closing: stop acquiring, or release within the request timeout. */
  @Override
  public CompletableFuture<?> shutdown(Throwable cause) {
    LockWatches.Wait watch;
    synchronized (this) {
      if (phase == Phase.ENDED) {
        return cleanup == null ? CompletableFuture.completedFuture(null) : cleanup;
      }
      if (phase == Phase.ACQUIRING) {
        phase = Phase.ENDED;
        abort.completeExceptionally(closed());
        cleanup = withdraw();
        return cleanup;
      }
      phase = Phase.ENDED;
      lostReason = "its store was closed";
      watch = ownWatch;
    }
    if (watch != null) {
      watch.cancel();
    }
    Op op = Op.write("unlock", key.name());
    CompletableFuture<?> deleted =
        calls
            .send(
                KVGrpc.getTxnMethod(),
                Locks.release(key, own, myRev, deleteOnUnlock ? leaseId : 0),
                op)
            .handle((r, failure) -> null);
    CompletableFuture<Boolean> revoked = locks.revoke(leaseId, ttlSeconds, op);
    CompletableFuture<?> done =
        CompletableFuture.allOf(deleted, revoked).handle((r, failure) -> released.complete(null));
    synchronized (this) {
      cleanup = done;
    }
    return done;
  }

  synchronized boolean isHeld() {
    return phase == Phase.HELD;
  }

  @Override
  public CompletableFuture<Void> released() {
    return released.copy();
  }

  /** The own key's create revision: strictly increasing across holdings of this lock. */
  @Override
  public synchronized long fencingToken() {
    return myRev;
  }

  @Override
  public void close() {
    if (isHeld()) {
      try {
        unlock();
      } catch (LockNotHeldException e) {
        // Lost meanwhile: close() promises nothing more than that the holding has ended.
      }
    }
  }

  /** The own key ({@code <key>___lock/<lease hex>}), for tests. */
  ByteString ownKey() {
    return own;
  }

  long leaseId() {
    return leaseId;
  }

  private LockNotHeldException notHeld() {
    String reason = lostReason;
    return new LockNotHeldException(
        "lock on '"
            + key.name()
            + "' is not held"
            + (reason == null ? " (already released)" : ": it was lost, " + reason));
  }

  private StoreClosedException closed() {
    return new StoreClosedException("the etcd v3 store " + context + " is closed");
  }

  private @Nullable Future<?> schedule(Runnable task, long delayNanos) {
    try {
      return context
          .time()
          .scheduler()
          .schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      task.run(); // the store is closing: abort says so
      return null;
    }
  }

  /**
   * The result of {@code future} within {@code bound} ({@code null} if it did not complete),
   * waiting even if interrupted; the interrupt status is kept.
   *
   * @throws StoreException its failure
   */
  private static <T> @Nullable T awaitUninterruptibly(CompletableFuture<T> future, Duration bound) {
    boolean interrupted = false;
    long end = System.nanoTime() + bound.toNanos();
    try {
      while (true) {
        try {
          return future.get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (TimeoutException e) {
          return null;
        } catch (ExecutionException e) {
          Throwable cause = Errors.unwrap(e);
          if (cause instanceof StoreException s) {
            throw s;
          }
          throw new StoreException(Errors.describe(cause), cause);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static boolean isUnknownLease(StoreException e) {
    return e.getMessage() != null && e.getMessage().contains("requested lease not found");
  }

  @Override
  public String toString() {
    return "Lease[key="
        + key.name()
        + ", fencingToken="
        + fencingToken()
        + (isHeld() ? ", held" : ", ended")
        + "]";
  }

  /** The lease was lost while acquiring (a signal inside this class, never thrown out of it). */
  private static final class LeaseLost extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LeaseLost() {
      super("lease lost", null, false, false);
    }
  }

  /** When a lock attempt stops waiting: never, or at a time of the store's clock. */
  static final class Until {
    private final boolean bounded;
    private final long deadline;

    private Until(boolean bounded, long deadline) {
      this.bounded = bounded;
      this.deadline = deadline;
    }

    static Until never() {
      return new Until(false, 0);
    }

    static Until after(Duration timeout, long now) {
      long nanos = timeout.isNegative() ? 0 : saturatedNanos(timeout);
      return nanos >= Long.MAX_VALUE / 2 ? never() : new Until(true, now + nanos);
    }

    boolean passed(long now) {
      return bounded && now - deadline >= 0;
    }

    /** Nanoseconds left; a very large number when unbounded. */
    long remaining(long now) {
      return bounded ? Math.max(0, deadline - now) : Long.MAX_VALUE / 2;
    }

    private static long saturatedNanos(Duration d) {
      try {
        return d.toNanos();
      } catch (ArithmeticException e) {
        return Long.MAX_VALUE;
      }
    }
  }
}
