package dev.valkeyrie.etcdv2;

import dev.valkeyrie.store.AccessDeniedException;
import dev.valkeyrie.store.CannotLockException;
import dev.valkeyrie.store.Lease;
import dev.valkeyrie.store.LockNotHeldException;
import dev.valkeyrie.store.LockOptions;
import dev.valkeyrie.store.Locker;
import dev.valkeyrie.store.StoreException;
import dev.valkeyrie.store.StoreUnavailableException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The lock recipe on etcd v2. The lock is the side key {@code <key>___lock}, created with {@code
 * prevExist=false}, a TTL, and an owner token as its value. A waiter watches the side key from the
 * index etcd returned with its failed attempt, so a release between the attempt and the watch is
 * not missed, and tries again when the side key is deleted or expires. While held, the lock's value
 * is written under the key itself.
 */
final class EtcdLocker implements Locker {
  private static final long MAX_BACKOFF_MS = 2_000;

  private final StoreContext context;
  private final KeyPath key;
  private final KeyPath sideKey;
  private final byte[] value;
  private final long ttlSeconds;
  private final boolean deleteOnUnlock;
  private @Nullable EtcdLease current; // guarded by this

  public EtcdLocker(StoreContext context, KeyPath key, LockOptions options) {
    this.context = context;
    this.key = key;
    this.sideKey = key.lockKey();
    this.value = options.value();
    this.ttlSeconds = Math.max(1, (options.ttl().toMillis() + 999) / 1000);
    this.deleteOnUnlock = options.deleteOnUnlock();
    PercentEncoding.requireUtf8(key.key(), value);
  }

  @Override
  public Lease lock() throws InterruptedException {
    return acquire(Long.MAX_VALUE).orElseThrow();
  }

  @Override
  public Optional<Lease> tryLock(Duration timeout) throws InterruptedException {
    long nanos = Math.max(0, timeout.toNanos());
    long now = System.nanoTime();
    return acquire(nanos >= Long.MAX_VALUE - now ? Long.MAX_VALUE : now + nanos);
  }

  @Override
  public void unlock() {
    EtcdLease lease;
    synchronized (this) {
      lease = current;
      current = null;
    }
    if (lease == null) {
      throw new LockNotHeldException("lock on '" + key.key() + "' is not held by this locker");
    }
    lease.unlock();
  }

  private Optional<Lease> acquire(long deadline) throws InterruptedException {
    context.resources().checkOpen();
    synchronized (this) {
      if (current != null && current.isHeld()) {
        throw new IllegalStateException(
            "this locker already holds the lock on '" + key.key() + "'; locks are not reentrant");
      }
    }
    String token = "valkeyrie-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID();
    boolean outcomeUnknown = false;
    long backoffMs = 50;
    while (true) {
      checkInterrupt();
      context.resources().checkOpen();
      long sentAt = context.ticker().read(); // the clock the lease measures its TTL on
      KeysClient.Reply reply;
      try {
        Query create = Query.of().add("prevExist", "false").add("ttl", ttlSeconds);
        reply =
            context
                .client()
                .call(KeysRequest.put("lock", sideKey, create, EtcdLease.tokenBytes(token)));
      } catch (StoreUnavailableException e) {
        // The create may have been applied; the next attempt finds out from the side key.
        outcomeUnknown |= e.outcomeUnknown();
        if (!pause(backoffMs, deadline)) {
          abandon(token);
          return Optional.empty();
        }
        backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
        continue;
      }
      if (reply.error() == null) {
        return Optional.of(held(token, reply.response().node().createdIndex(), sentAt));
      }
      if (!reply.isError(EtcdError.NODE_EXIST)) {
        StoreException cause =
            context
                .client()
                .failure(KeysRequest.put("lock", sideKey, Query.of(), null), reply.error());
        if (cause instanceof AccessDeniedException) {
          throw cause;
        }
        throw new CannotLockException(
            "cannot lock '" + key.key() + "': " + cause.getMessage(), cause);
      }
      if (outcomeUnknown) {
        outcomeUnknown = false;
        Optional<EtcdNode> mine = ownedSideKey(token);
        if (mine.isPresent()) {
          return Optional.of(held(token, mine.get().createdIndex(), sentAt));
        }
      }
      if (!awaitRelease(reply.error().index() + 1, deadline)) {
        return Optional.empty();
      }
      backoffMs = 50;
    }
  }

  /** Removes the side key if an attempt whose outcome is unknown did create it. */
  private void abandon(String token) {
    var unused =
        context
            .client()
            .send(
                KeysRequest.delete("lock", sideKey, Query.of().add("prevValue", token)),
                Duration.ofSeconds(ttlSeconds));
  }

  private Optional<EtcdNode> ownedSideKey(String token) {
    KeysClient.Reply reply =
        context.client().call(KeysRequest.get("lock", sideKey, Query.of().flag("quorum")));
    if (reply.error() == null && token.equals(reply.response().node().value())) {
      return Optional.of(reply.response().node());
    }
    return Optional.empty();
  }

  private EtcdLease held(String token, long createdIndex, long sentAt) {
    EtcdLease lease = new EtcdLease(context, key, token, ttlSeconds, createdIndex, deleteOnUnlock);
    long valueIndex;
    try {
      valueIndex =
          context
              .client()
              .execute(
                  KeysRequest.put(
                      "lock",
                      key,
                      deleteOnUnlock ? Query.of().add("ttl", ttlSeconds) : Query.of(),
                      value))
              .node()
              .modifiedIndex();
    } catch (StoreException e) {
      context
          .client()
          .call(KeysRequest.delete("lock", sideKey, Query.of().add("prevValue", token)));
      throw new CannotLockException(
          "cannot lock '" + key.key() + "': writing the lock's value failed: " + e.getMessage(), e);
    }
    lease.start(sentAt, valueIndex);
    synchronized (this) {
      current = lease;
    }
    return lease;
  }

  /**
   * Watches the side key from {@code index} until it is deleted or expires.
   *
   * @return false if the deadline passed first
   */
  private boolean awaitRelease(long index, long deadline) throws InterruptedException {
    long waitIndex = index;
    while (true) {
      context.resources().checkOpen();
      long remaining = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
      if (remaining <= 0) {
        return false;
      }
      Duration timeout =
          Duration.ofNanos(Math.min(remaining, context.watchIdleTimeout().toNanos()));
      CompletableFuture<KeysClient.Reply> poll =
          context.watchClient().send(KeysRequest.poll("lock", sideKey, false, waitIndex), timeout);
      KeysClient.Reply reply;
      try {
        reply = poll.get();
      } catch (InterruptedException e) {
        poll.cancel(true);
        throw e;
      } catch (ExecutionException e) {
        if (e.getCause() instanceof KeysClient.IdlePollException) {
          continue; // idle: nothing happened to the lock
        }
        // Transport trouble: the holder may have released meanwhile, so try again.
        return pause(200, deadline);
      }
      if (reply.error() != null) {
        return true; // history cleared, or an odd answer: a fresh attempt re-reads the state
      }
      if (Listing.isRemoval(reply.response().action())) {
        return true;
      }
      waitIndex = reply.response().node().modifiedIndex() + 1;
    }
  }

  /** Waits a little before another attempt; false if the deadline passes first. */
  private static boolean pause(long millis, long deadline) throws InterruptedException {
    long wait = TimeUnit.MILLISECONDS.toNanos(millis);
    if (deadline != Long.MAX_VALUE && System.nanoTime() + wait >= deadline) {
      return false;
    }
    TimeUnit.NANOSECONDS.sleep(wait);
    return true;
  }

  private static void checkInterrupt() throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
  }

  @Override
  public String toString() {
    return "Locker[" + key.key() + "]";
  }
}
