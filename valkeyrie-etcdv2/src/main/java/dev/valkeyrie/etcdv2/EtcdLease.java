package dev.valkeyrie.etcdv2;

import dev.valkeyrie.store.Lease;
import dev.valkeyrie.store.LockNotHeldException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One holding of a lock: renews the side key's TTL at a third of the TTL, conditioned on the owner
 * token (a refresh changes {@code modifiedIndex}, so the token, not the index, identifies the
 * holder), and declares the lock lost when renewal is refused or has not succeeded for a whole TTL.
 * With {@code deleteOnUnlock}, the lock's value under the key carries the same TTL and is renewed
 * along, conditioned on its index, so it never outlives the holding by more than a TTL.
 */
final class EtcdLease implements Lease, StoreResource {
  private static final Logger LOG = LoggerFactory.getLogger(EtcdLease.class);

  private final StoreContext context;
  private final KeyPath key;
  private final KeyPath sideKey;
  private final String token;
  private final long ttlSeconds;
  private final long fencingToken;
  private final boolean deleteOnUnlock;
  private final CompletableFuture<Void> released = new CompletableFuture<>();
  private final AtomicBoolean ended = new AtomicBoolean();
  private final AtomicBoolean renewingValue = new AtomicBoolean();
  private long renewedAt; // when the last accepted renewal was sent; guarded by this
  private volatile long valueIndex;
  private volatile long expiresAt;
  private volatile @Nullable String lostReason;
  private volatile Future<?> renewal = CompletableFuture.completedFuture(null);
  private volatile Future<?> expiry = CompletableFuture.completedFuture(null);

  EtcdLease(
      StoreContext context,
      KeyPath key,
      String token,
      long ttlSeconds,
      long fencingToken,
      boolean deleteOnUnlock) {
    this.context = context;
    this.key = key;
    this.sideKey = key.lockKey();
    this.token = token;
    this.ttlSeconds = ttlSeconds;
    this.fencingToken = fencingToken;
    this.deleteOnUnlock = deleteOnUnlock;
  }

  /** Starts renewing; {@code acquiredAtNanos} is when the creating request was sent. */
  void start(long acquiredAtNanos, long valueIndex) {
    this.valueIndex = valueIndex;
    synchronized (this) {
      this.renewedAt = acquiredAtNanos;
    }
    long periodMs = Math.max(200, ttlSeconds * 1000 / 3);
    renewal =
        context
            .timer()
            .scheduleWithFixedDelay(this::renew, periodMs, periodMs, TimeUnit.MILLISECONDS);
    armExpiry(acquiredAtNanos);
    context.resources().register(this);
  }

  /**
   * Sends one renewal. Each period sends its own, even while an earlier one is still waiting for
   * its answer: a renewal that may have reached a member is never resent, and one stuck on a member
   * that forwards to a dead leader would otherwise hold back every renewal after it. A renewal
   * applied late is harmless: it is conditioned on this holder's token.
   */
  private void renew() {
    if (ended.get()) {
      return;
    }
    long sentAt = context.ticker().read();
    Query query =
        Query.of().flag("refresh").flag("prevExist").add("prevValue", token).add("ttl", ttlSeconds);
    // No renewal may outlive the holding it renews: past the client-side expiry the lease is
    // reported lost, and a refresh applied later would keep the lock from the next holder.
    long left = Math.max(TimeUnit.MILLISECONDS.toNanos(100), expiresAt - sentAt);
    var unused =
        context
            .client()
            .send(
                KeysRequest.put("renew lock", sideKey, query, null),
                java.time.Duration.ofNanos(left))
            .whenComplete(
                (reply, failure) -> {
                  if (ended.get()) {
                    return;
                  }
                  if (failure != null) {
                    LOG.debug(
                        "renewing the lock on '{}' failed; the next period renews again: {}",
                        key.key(),
                        failure.toString());
                  } else if (reply.error() != null) {
                    lost(
                        "renewal refused, the lock was removed or taken over: "
                            + reply.error().describe());
                  } else if (renewed(sentAt)) {
                    armExpiry(sentAt);
                    if (deleteOnUnlock) {
                      renewValue();
                    }
                  }
                });
  }

  /** Records an accepted renewal; false if a renewal sent later was accepted already. */
  private synchronized boolean renewed(long sentAt) {
    if (sentAt - renewedAt <= 0) {
      return false;
    }
    renewedAt = sentAt;
    return true;
  }

  /**
   * With deleteOnUnlock the value lives only as long as the lock, so it carries the lock's TTL: if
   * this process dies, the value expires with the side key instead of naming a dead holder.
   */
  private void renewValue() {
    if (!renewingValue.compareAndSet(false, true)) {
      return; // one at a time: each is conditioned on the index the previous one produced
    }
    Query query =
        Query.of()
            .flag("refresh")
            .flag("prevExist")
            .add("prevIndex", valueIndex)
            .add("ttl", ttlSeconds);
    var unused =
        context
            .client()
            .send(
                KeysRequest.put("renew lock", key, query, null),
                java.time.Duration.ofSeconds(ttlSeconds))
            .whenComplete((reply, failure) -> renewingValue.set(false))
            .thenAccept(
                reply -> {
                  if (reply.error() == null) {
                    valueIndex = reply.response().node().modifiedIndex();
                  } else {
                    LOG.debug(
                        "lock value of '{}' was rewritten by someone else; no longer renewed: {}",
                        key.key(),
                        reply.error().describe());
                  }
                });
  }

  /** The side key expires no earlier than a TTL after the last renewal that etcd accepted. */
  private void armExpiry(long renewedAtNanos) {
    expiresAt = renewedAtNanos + TimeUnit.SECONDS.toNanos(ttlSeconds);
    long delay = expiresAt - context.ticker().read();
    expiry.cancel(false);
    try {
      expiry =
          context
              .timer()
              .schedule(
                  () ->
                      lost(
                          "not renewed for the whole TTL of "
                              + ttlSeconds
                              + " s (store unreachable)"),
                  Math.max(0, delay),
                  TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // The store is closing; shutdown() ends the lease.
    }
  }

  private void lost(String reason) {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    lostReason = reason;
    LOG.warn("lock on '{}' lost: {}", key.key(), reason);
    stopTimers();
    CompletableFuture<?> cleanup =
        deleteOnUnlock ? deleteValue() : CompletableFuture.completedFuture(null);
    var unused = cleanup.whenComplete((r, e) -> released.complete(null));
    // Best effort: if a renewal still reaches etcd after this, the side key would live on with
    // this holder's token. Deleting it by token removes only this holder's own side key.
    var unusedRelease =
        context.client().send(releaseRequest(), java.time.Duration.ofSeconds(ttlSeconds));
  }

  /** Releases the lock. */
  void unlock() {
    if (!ended.compareAndSet(false, true)) {
      throw notHeld();
    }
    stopTimers();
    try {
      if (deleteOnUnlock) {
        deleteValue().join();
      }
      KeysClient.Reply reply = context.client().call(releaseRequest());
      if (reply.error() != null) {
        lostReason = "it was removed or taken over before unlock: " + reply.error().describe();
        throw notHeld();
      }
    } finally {
      released.complete(null);
    }
  }

  private KeysRequest releaseRequest() {
    return KeysRequest.delete("unlock", sideKey, Query.of().add("prevValue", token));
  }

  /** Deletes the lock's value, unless someone rewrote it since this holder wrote it. */
  private CompletableFuture<?> deleteValue() {
    return context
        .client()
        .send(
            KeysRequest.delete("unlock", key, Query.of().add("prevIndex", valueIndex)),
            java.time.Duration.ofSeconds(ttlSeconds))
        .exceptionally(e -> null);
  }

  private void stopTimers() {
    context.resources().unregister(this);
    renewal.cancel(false);
    expiry.cancel(false);
  }

  private LockNotHeldException notHeld() {
    return new LockNotHeldException(
        "lock on '"
            + key.key()
            + "' is not held"
            + (lostReason == null ? " (already released)" : ": it was lost, " + lostReason));
  }

  boolean isHeld() {
    return !ended.get();
  }

  @Override
  public CompletableFuture<?> shutdown(Throwable cause) {
    if (!ended.compareAndSet(false, true)) {
      return CompletableFuture.completedFuture(null);
    }
    lostReason = "its store was closed";
    stopTimers();
    CompletableFuture<?> valueGone =
        deleteOnUnlock ? deleteValue() : CompletableFuture.completedFuture(null);
    return valueGone
        .thenCompose(
            v -> context.client().send(releaseRequest(), java.time.Duration.ofSeconds(ttlSeconds)))
        .handle((r, e) -> released.complete(null));
  }

  @Override
  public CompletableFuture<Void> released() {
    return released.copy();
  }

  @Override
  public long fencingToken() {
    return fencingToken;
  }

  @Override
  public void close() {
    if (isHeld()) {
      try {
        unlock();
      } catch (LockNotHeldException e) {
        // Lost meanwhile: close() promises nothing more than that the lease has ended.
      }
    }
  }

  @Override
  public String toString() {
    return "Lease[key="
        + key.key()
        + ", fencingToken="
        + fencingToken
        + (isHeld() ? ", held" : ", ended")
        + "]";
  }

  static byte[] tokenBytes(String token) {
    return token.getBytes(StandardCharsets.UTF_8);
  }
}
