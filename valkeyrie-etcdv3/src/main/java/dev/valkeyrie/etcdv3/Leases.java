package dev.valkeyrie.etcdv3;

import dev.valkeyrie.etcdv3.rpc.LeaseGrantRequest;
import dev.valkeyrie.etcdv3.rpc.LeaseGrantResponse;
import dev.valkeyrie.etcdv3.rpc.LeaseGrpc;
import dev.valkeyrie.etcdv3.rpc.LeaseKeepAliveRequest;
import dev.valkeyrie.etcdv3.rpc.LeaseKeepAliveResponse;
import dev.valkeyrie.etcdv3.rpc.LeaseRevokeRequest;
import dev.valkeyrie.etcdv3.rpc.LeaseTimeToLiveRequest;
import dev.valkeyrie.etcdv3.rpc.LeaseTimeToLiveResponse;
import dev.valkeyrie.store.InvalidValueException;
import dev.valkeyrie.store.StoreException;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The store's leases: granted with client-chosen IDs (so a resent grant is harmless: "lease already
 * exists" means the first one was applied, pitfall 16), revoked, and kept alive over ONE shared
 * {@code LeaseKeepAlive} stream per store.
 *
 * <p>Keep-alive: each kept lease is renewed about every third of its TTL. A renewal answered with
 * TTL &le; 0 means the lease is gone (expired or revoked: pitfall 13); a lease whose last
 * successful renewal is a whole TTL ago is given up locally (pitfall 14: a frozen member answers
 * nothing and reports no error). Either way the lease's loss callback runs, once. A stream that
 * fails, or leaves a renewal unanswered for a renewal period, is moved to the next member and every
 * lease is renewed there at once. When the store closes, renewal stops (the leases then expire with
 * their TTL).
 *
 * <p>Thread-safe. Renewals run on the store's scheduler; responses and loss callbacks on its
 * callback threads. Callbacks must not block.
 */
final class Leases implements StoreContext.Resource {
  private static final Logger LOG = System.getLogger(Leases.class.getName());

  /** etcd's minimum TTL with default timing ({@code ceil(1.5 * election timeout)}). */
  static final long MIN_TTL_SECONDS = 2;

  /** etcd's maximum lease TTL. */
  static final long MAX_TTL_SECONDS = 9_000_000_000L;

  /** How many of its latest revocations a store remembers ({@link #revokedHere}). */
  private static final int RECENTLY_REVOKED = 1024;

  /** The shortest renewal period, whatever the TTL. */
  private static final long MIN_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  private final CallLayer calls;
  private final StoreTime time;
  private final Executor callbacks;
  private final SecureRandom random = new SecureRandom();
  private final Map<Long, Kept> kept = new ConcurrentHashMap<>();

  /** The leases this store revoked lately (bounded), for watches: see {@link #revokedHere}. */
  private final Set<Long> revoked =
      Collections.newSetFromMap(
          Collections.synchronizedMap(
              new LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
                  return size() > RECENTLY_REVOKED;
                }
              }));

  private @Nullable MemberStream<LeaseKeepAliveRequest> stream; // guarded by this
  private boolean closed; // guarded by this

  Leases(CallLayer calls, StoreTime time, Executor callbacks) {
    this.calls = calls;
    this.time = time;
    this.callbacks = callbacks;
  }

  /**
   * A TTL in etcd's whole seconds: rounded up, and at least {@link #MIN_TTL_SECONDS} (etcd grants
   * shorter TTLs as 2 s anyway: pitfall 11).
   *
   * @throws InvalidValueException if it is longer than etcd allows, naming {@code key}
   */
  static long ttlSeconds(Duration ttl, String key) {
    long seconds = ttl.getSeconds() + (ttl.getNano() > 0 ? 1 : 0);
    if (seconds > MAX_TTL_SECONDS || seconds < 0) {
      throw new InvalidValueException(
          "ttl "
              + ttl
              + " for key '"
              + key
              + "' is longer than etcd allows ("
              + MAX_TTL_SECONDS
              + " s)");
    }
    return Math.max(MIN_TTL_SECONDS, seconds);
  }

  /** A fresh lease ID: positive, random, never 0 (which means "no lease"). */
  long newId() {
    long id;
    do {
      id = random.nextLong() & Long.MAX_VALUE;
    } while (id == 0);
    return id;
  }

  /**
   * Grants a lease of {@code ttlSeconds} with the ID {@code id}, resending as reads are resent.
   * Completes with the ID.
   */
  CompletableFuture<Long> grant(long id, long ttlSeconds, Op op) {
    LeaseGrantRequest request = LeaseGrantRequest.newBuilder().setID(id).setTTL(ttlSeconds).build();
    return calls
        .send(LeaseGrpc.getLeaseGrantMethod(), request, grantOp(op))
        .handle(
            (LeaseGrantResponse response, @Nullable Throwable failure) -> {
              if (failure != null) {
                Throwable cause = Errors.unwrap(failure);
                if (cause instanceof StoreException e
                    && e.getMessage() != null
                    && e.getMessage().contains("lease already exists")) {
                  return id; // a resent grant: the first one was applied
                }
                throw cause instanceof RuntimeException r
                    ? r
                    : new StoreException(cause.toString());
              }
              if (!response.getError().isEmpty()) {
                throw new StoreException(
                    op.what() + ": etcd refused the lease: " + response.getError());
              }
              return id;
            });
  }

  /** {@link #grant}, waiting in the calling thread. */
  long grantNow(long id, long ttlSeconds, Op op) {
    LeaseGrantRequest request = LeaseGrantRequest.newBuilder().setID(id).setTTL(ttlSeconds).build();
    try {
      LeaseGrantResponse response =
          calls.call(LeaseGrpc.getLeaseGrantMethod(), request, grantOp(op));
      if (!response.getError().isEmpty()) {
        throw new StoreException(op.what() + ": etcd refused the lease: " + response.getError());
      }
    } catch (StoreException e) {
      if (e.getMessage() == null || !e.getMessage().contains("lease already exists")) {
        throw e;
      }
    }
    return id;
  }

  private static Op grantOp(Op op) {
    return Op.idempotent("lease grant for " + op.operation(), op.key());
  }

  /**
   * Revokes a lease, deleting the keys attached to it. An unknown lease counts as revoked.
   * Completes normally either way once etcd answered; failures are logged, the lease then expires
   * with its TTL.
   */
  CompletableFuture<Void> revoke(long id, Op op) {
    revoked.add(id); // before it is sent: see revokedHere
    stopKeepingAlive(id);
    LeaseRevokeRequest request = LeaseRevokeRequest.newBuilder().setID(id).build();
    return calls
        .send(
            LeaseGrpc.getLeaseRevokeMethod(),
            request,
            Op.idempotent("lease revoke for " + op.operation(), op.key()))
        .handle(
            (response, failure) -> {
              if (failure != null) {
                String message = Errors.unwrap(failure).getMessage();
                if (message == null || !message.contains("requested lease not found")) {
                  LOG.log(
                      Level.DEBUG,
                      () ->
                          "revoking lease "
                              + Long.toHexString(id)
                              + " failed; it"
                              + " expires with its TTL: "
                              + message);
                }
              }
              return null;
            });
  }

  /**
   * Whether this store revoked lease {@code id} lately (one of its last {@value #RECENTLY_REVOKED}
   * revocations). A watch that sees a key of a lease deleted and then finds the lease gone asks
   * this before it reports an expiry: this store deletes a key it wrote with a TTL and then revokes
   * the key's lease, and that revocation, not an expiry, may be why the lease is gone. Recorded
   * before the revocation is sent, so it is true by the time etcd could report the lease gone
   * because of it.
   */
  boolean revokedHere(long id) {
    return revoked.contains(id);
  }

  /** The lease's remaining TTL in seconds (-1 when it is gone), and its keys if asked. */
  CompletableFuture<LeaseTimeToLiveResponse> timeToLive(long id, boolean keys, Op op) {
    return calls.send(
        LeaseGrpc.getLeaseTimeToLiveMethod(),
        LeaseTimeToLiveRequest.newBuilder().setID(id).setKeys(keys).build(),
        Op.read("lease time-to-live for " + op.operation(), op.key()));
  }

  /**
   * Keeps lease {@code id} (granted for {@code ttlSeconds}) alive until {@link KeptLease#stop()},
   * the store closes, or the lease is lost: then {@code onLost} runs once, on a callback thread.
   * The lease counts as renewed now (it was just granted).
   */
  KeptLease keepAlive(long id, long ttlSeconds, Runnable onLost) {
    Kept lease = new Kept(id, ttlSeconds, onLost);
    synchronized (this) {
      if (closed) {
        lease.lose("the store is closed");
        return lease;
      }
      Kept previous = kept.put(id, lease);
      if (previous != null) {
        previous.stopQuietly();
      }
    }
    lease.schedule(lease.period);
    return lease;
  }

  /** Stops renewing {@code id}, if it is kept alive; its loss callback does not run. */
  void stopKeepingAlive(long id) {
    Kept lease = kept.remove(id);
    if (lease != null) {
      lease.stopQuietly();
    }
  }

  /**
   * When kept lease {@code id} is given up unless renewed, on the store's ticker; -1 if not kept.
   */
  long deadlineOf(long id) {
    Kept lease = kept.get(id);
    if (lease == null) {
      return -1;
    }
    synchronized (lease) {
      return lease.deadline;
    }
  }

  /** How many leases are being kept alive. */
  int keptAlive() {
    return kept.size();
  }

  /** Sends a renewal of {@code lease} on the shared stream, opening it if needed. */
  private void renew(Kept lease) {
    MemberStream<LeaseKeepAliveRequest> current;
    synchronized (this) {
      if (closed) {
        return;
      }
      current = stream;
      if (current == null || !current.isOpen()) {
        current = open(calls.preferredMember());
        stream = current;
      }
    }
    current.send(LeaseKeepAliveRequest.newBuilder().setID(lease.id).build());
  }

  /** Called with the lock held. */
  private MemberStream<LeaseKeepAliveRequest> open(URI member) {
    Responses responses = new Responses();
    MemberStream<LeaseKeepAliveRequest> opened =
        calls.openStream(member, LeaseGrpc.getLeaseKeepAliveMethod(), responses);
    responses.stream = opened;
    return opened;
  }

  /**
   * The stream failed or stayed silent: give its member up, and renew every lease on another member
   * at once.
   */
  private void moveStream(MemberStream<LeaseKeepAliveRequest> failed, @Nullable Status status) {
    List<Kept> all;
    synchronized (this) {
      if (closed || stream != failed) {
        return;
      }
      stream = null;
      failed.cancel("moving the lease keep-alive stream off " + failed.member());
      if (status != null && CallLayer.isTokenRefused(status)) {
        calls.tokenRefused(failed);
      } else {
        calls.memberFailed(failed.member());
      }
      all = new ArrayList<>(kept.values());
    }
    LOG.log(
        Level.DEBUG,
        () ->
            "lease keep-alive stream to "
                + failed.member()
                + " ended ("
                + (status == null
                    ? "no answer"
                    : status.getCode() + " " + Errors.description(status))
                + "); renewing "
                + all.size()
                + " lease(s) on another member");
    for (Kept lease : all) {
      lease.restart();
    }
  }

  private void answered(MemberStream<LeaseKeepAliveRequest> from, LeaseKeepAliveResponse response) {
    Kept lease = kept.get(response.getID());
    calls.memberServed(from.member());
    if (lease == null) {
      return;
    }
    if (response.getTTL() <= 0) {
      lease.lose("etcd says the lease is gone (keep-alive answered TTL " + response.getTTL() + ")");
    } else {
      lease.renewed(response.getTTL());
    }
  }

  @Override
  public CompletableFuture<?> shutdown(Throwable cause) {
    MemberStream<LeaseKeepAliveRequest> open;
    List<Kept> all;
    synchronized (this) {
      closed = true;
      open = stream;
      stream = null;
      all = new ArrayList<>(kept.values());
      kept.clear();
    }
    for (Kept lease : all) {
      lease.stopQuietly();
    }
    if (open != null) {
      open.cancel("the store is closing");
    }
    return CompletableFuture.completedFuture(null);
  }

  /** Hears one keep-alive stream. */
  private final class Responses implements StreamObserver<LeaseKeepAliveResponse> {
    volatile @Nullable MemberStream<LeaseKeepAliveRequest> stream;

    @Override
    public void onNext(LeaseKeepAliveResponse response) {
      MemberStream<LeaseKeepAliveRequest> from = stream;
      if (from != null) {
        answered(from, response);
      }
    }

    @Override
    public void onError(Throwable failure) {
      MemberStream<LeaseKeepAliveRequest> from = stream;
      if (from != null) {
        moveStream(from, Status.fromThrowable(failure));
      }
    }

    @Override
    public void onCompleted() {
      MemberStream<LeaseKeepAliveRequest> from = stream;
      if (from != null) {
        moveStream(from, Status.UNAVAILABLE.withDescription("the member ended the stream"));
      }
    }
  }

  /** One lease kept alive. */
  private final class Kept implements KeptLease {
    final long id;
    final long period;
    private final Runnable onLost;
    private final long ttlNanos;
    // Guarded by this.
    private long deadline;
    private long sentAt = -1;
    private boolean ended;
    private @Nullable Future<?> next;

    Kept(long id, long ttlSeconds, Runnable onLost) {
      this.id = id;
      this.onLost = onLost;
      this.ttlNanos = TimeUnit.SECONDS.toNanos(ttlSeconds);
      this.period = Math.max(MIN_PERIOD_NANOS, ttlNanos / 3);
      this.deadline = time.now() + ttlNanos;
    }

    @Override
    public long leaseId() {
      return id;
    }

    synchronized void schedule(long delayNanos) {
      if (ended) {
        return;
      }
      if (next != null) {
        next.cancel(false);
      }
      long delay = Math.max(0, Math.min(delayNanos, deadline - time.now()));
      try {
        next = time.scheduler().schedule(this::tick, delay, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        ended = true; // the store is closing
      }
    }

    /** A renewal is due, or the local deadline has come. */
    private void tick() {
      long now = time.now();
      boolean stuck;
      synchronized (this) {
        if (ended) {
          return;
        }
        if (now - deadline >= 0) {
          // Handled below, outside the lock.
          stuck = false;
        } else {
          stuck = sentAt >= 0 && now - sentAt >= period;
        }
      }
      if (now - deadline >= 0) {
        lose(
            "no successful renewal within its TTL of "
                + TimeUnit.NANOSECONDS.toSeconds(ttlNanos)
                + " s");
        return;
      }
      if (stuck) {
        MemberStream<LeaseKeepAliveRequest> current;
        synchronized (Leases.this) {
          current = stream;
        }
        if (current != null) {
          moveStream(current, null); // reschedules every lease, this one too
          return;
        }
      }
      synchronized (this) {
        if (sentAt < 0) {
          sentAt = now;
        }
      }
      try {
        renew(this);
      } catch (RuntimeException e) {
        LOG.log(
            Level.DEBUG,
            () -> "lease " + Long.toHexString(id) + ": renewal not sent: " + e.getMessage());
      }
      schedule(period);
    }

    /** Renews at once, on whichever stream is open next. */
    void restart() {
      synchronized (this) {
        sentAt = -1;
      }
      schedule(0);
    }

    void renewed(long ttlSeconds) {
      synchronized (this) {
        if (ended) {
          return;
        }
        sentAt = -1;
        deadline = time.now() + TimeUnit.SECONDS.toNanos(ttlSeconds);
      }
    }

    void lose(String why) {
      synchronized (this) {
        if (ended) {
          return;
        }
        ended = true;
        if (next != null) {
          next.cancel(false);
        }
      }
      kept.remove(id, this);
      LOG.log(Level.DEBUG, () -> "lease " + Long.toHexString(id) + " lost: " + why);
      try {
        callbacks.execute(onLost);
      } catch (RejectedExecutionException e) {
        onLost.run();
      }
    }

    synchronized void stopQuietly() {
      ended = true;
      if (next != null) {
        next.cancel(false);
      }
    }

    @Override
    public void stop() {
      kept.remove(id, this);
      stopQuietly();
    }

    @Override
    public synchronized boolean isLost() {
      return ended;
    }

    @Override
    public String toString() {
      return "KeptLease[" + Long.toHexString(id) + "]";
    }
  }

  /** A lease kept alive by {@link #keepAlive}. */
  interface KeptLease {
    /** The lease's ID. */
    long leaseId();

    /** Stops renewing; the loss callback does not run. The lease expires with its TTL. */
    void stop();

    /** Whether renewal has ended (lost or stopped). */
    boolean isLost();
  }
}
