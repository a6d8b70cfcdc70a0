package dev.valkeyrie.etcdv3;

import com.google.protobuf.ByteString;
import dev.valkeyrie.etcdv3.rpc.Compare;
import dev.valkeyrie.etcdv3.rpc.DeleteRangeRequest;
import dev.valkeyrie.etcdv3.rpc.LeaseGrpc;
import dev.valkeyrie.etcdv3.rpc.LeaseRevokeRequest;
import dev.valkeyrie.etcdv3.rpc.PutRequest;
import dev.valkeyrie.etcdv3.rpc.RangeRequest;
import dev.valkeyrie.etcdv3.rpc.RequestOp;
import dev.valkeyrie.etcdv3.rpc.TxnRequest;
import dev.valkeyrie.store.InvalidValueException;
import dev.valkeyrie.store.LockOptions;
import dev.valkeyrie.store.Locker;
import dev.valkeyrie.store.StoreClosedException;
import dev.valkeyrie.store.StoreException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The lock part ({@link LockService}): etcd's own mutex recipe (clientv3 {@code concurrency}),
 * written here, on the prefix {@code <key>___lock/} with one lease per holding. See {@link
 * MutexLocker} for the recipe and {@link MutexSession} for one acquisition.
 *
 * <p>This class builds the recipe's requests (one place, so the txns are easy to check against
 * etcd's) and revokes leases until etcd confirms it.
 */
final class Locks implements LockService {
  private static final Logger LOG = System.getLogger(Locks.class.getName());

  /** What etcd adds to a request before it checks its size (raft request header). */
  private static final int RAFT_OVERHEAD = 64;

  /** How long a revoke that etcd has not confirmed is retried in the background, past the TTL. */
  private static final long REVOKE_RETRY_MARGIN_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final StoreContext context;
  private final LockWatches watches;

  Locks(StoreContext context) {
    this.context = context;
    this.watches = new LockWatches(context);
  }

  @Override
  public Locker newLock(Key key, LockOptions options) {
    MutexLocker locker = new MutexLocker(this, key, options);
    checkSize(key, locker);
    return locker;
  }

  StoreContext context() {
    return context;
  }

  LockWatches watches() {
    return watches;
  }

  // --- the recipe's requests ---

  /** {@code <key>___lock/}: where the holders' and waiters' keys live. */
  static ByteString prefix(Key key) {
    return key.lockKey().bytes().concat(ByteString.copyFromUtf8("/"));
  }

  /** {@code <prefix><lease ID in lowercase hex>}, as clientv3 and etcdctl name it. */
  static ByteString ownKey(ByteString prefix, long leaseId) {
    return prefix.concat(ByteString.copyFromUtf8(Long.toHexString(leaseId)));
  }

  /**
   * The acquiring txn, etcd's own: {@code If CREATE(own)==0 Then Put(own, value, lease),
   * Range(prefix, first created) Else Range(own), Range(prefix, first created)}. Sending it twice
   * is sending it once (the second finds the key): it may be resent.
   */
  static TxnRequest acquire(ByteString prefix, ByteString own, byte[] value, long leaseId) {
    RequestOp first = range(firstCreated(prefix));
    return TxnRequest.newBuilder()
        .addCompare(createRevision(own, 0))
        .addSuccess(
            RequestOp.newBuilder()
                .setRequestPut(
                    PutRequest.newBuilder()
                        .setKey(own)
                        .setValue(ByteString.copyFrom(value))
                        .setLease(leaseId)))
        .addSuccess(first)
        .addFailure(range(RangeRequest.newBuilder().setKey(own).setKeysOnly(true)))
        .addFailure(first)
        .build();
  }

  /**
   * While waiting, one read at one revision: the own key (still there, still {@code myRev}?) and
   * the predecessor, the key with the largest create revision below {@code myRev}.
   */
  static TxnRequest predecessor(ByteString prefix, ByteString own, long myRev) {
    return TxnRequest.newBuilder()
        .addSuccess(range(RangeRequest.newBuilder().setKey(own).setKeysOnly(true)))
        .addSuccess(
            range(
                RangeRequest.newBuilder()
                    .setKey(prefix)
                    .setRangeEnd(Key.prefixEnd(prefix))
                    .setKeysOnly(true)
                    .setSortTarget(RangeRequest.SortTarget.CREATE)
                    .setSortOrder(RangeRequest.SortOrder.DESCEND)
                    .setMaxCreateRevision(myRev - 1)
                    .setLimit(1)))
        .build();
  }

  /**
   * Taking the lock once nobody is ahead: {@code If CREATE(own)==myRev Then Put(key, value[,
   * lease]) Else Range(own)}. The compare is the re-check after waiting (pitfall 28: the 3.4 recipe
   * can succeed after its lease expired); the put writes the lock's value under the locked key, on
   * the holding's lease with {@code deleteOnUnlock} (so it ends with the holding), without a lease
   * otherwise (it stays, as on v2). It is fenced, and writes the same bytes each time: it may be
   * resent.
   */
  static TxnRequest take(Key key, ByteString own, long myRev, byte[] value, long valueLease) {
    PutRequest.Builder put =
        PutRequest.newBuilder().setKey(key.bytes()).setValue(ByteString.copyFrom(value));
    if (valueLease != 0) {
      put.setLease(valueLease);
    }
    return TxnRequest.newBuilder()
        .addCompare(createRevision(own, myRev))
        .addSuccess(RequestOp.newBuilder().setRequestPut(put))
        .addFailure(range(RangeRequest.newBuilder().setKey(own).setKeysOnly(true)))
        .build();
  }

  /**
   * The fenced unlock (etcd-io/etcd#22082): {@code If CREATE(own)==myRev Then Delete(own) [, If
   * LEASE(key)==lease Then Delete(key)] Else Range(own)}. With {@code deleteOnUnlock} the value
   * goes in the same revision, and only if it still is this holding's.
   */
  static TxnRequest release(Key key, ByteString own, long myRev, long valueLease) {
    TxnRequest.Builder txn =
        TxnRequest.newBuilder()
            .addCompare(createRevision(own, myRev))
            .addSuccess(
                RequestOp.newBuilder()
                    .setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(own)))
            .addFailure(range(RangeRequest.newBuilder().setKey(own).setKeysOnly(true)));
    if (valueLease != 0) {
      txn.addSuccess(
          RequestOp.newBuilder()
              .setRequestTxn(
                  TxnRequest.newBuilder()
                      .addCompare(
                          Compare.newBuilder()
                              .setKey(key.bytes())
                              .setTarget(Compare.CompareTarget.LEASE)
                              .setResult(Compare.CompareResult.EQUAL)
                              .setLease(valueLease))
                      .addSuccess(
                          RequestOp.newBuilder()
                              .setRequestDeleteRange(
                                  DeleteRangeRequest.newBuilder().setKey(key.bytes())))));
    }
    return txn.build();
  }

  /** Removes a waiter's key, fenced when its create revision is known. */
  static TxnRequest withdraw(ByteString own, long myRev) {
    TxnRequest.Builder txn = TxnRequest.newBuilder();
    if (myRev > 0) {
      txn.addCompare(createRevision(own, myRev));
    }
    return txn.addSuccess(
            RequestOp.newBuilder()
                .setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(own)))
        .build();
  }

  private static RangeRequest.Builder firstCreated(ByteString prefix) {
    return RangeRequest.newBuilder()
        .setKey(prefix)
        .setRangeEnd(Key.prefixEnd(prefix))
        .setKeysOnly(true)
        .setSortTarget(RangeRequest.SortTarget.CREATE)
        .setSortOrder(RangeRequest.SortOrder.ASCEND)
        .setLimit(1);
  }

  private static Compare createRevision(ByteString key, long revision) {
    return Compare.newBuilder()
        .setKey(key)
        .setTarget(Compare.CompareTarget.CREATE)
        .setResult(Compare.CompareResult.EQUAL)
        .setCreateRevision(revision)
        .build();
  }

  private static RequestOp range(RangeRequest.Builder range) {
    return RequestOp.newBuilder().setRequestRange(range).build();
  }

  /** Refuses at {@code newLock} a value too large for the recipe's requests (pitfall 8). */
  private void checkSize(Key key, MutexLocker locker) {
    String user = context.user();
    long overhead = (long) RAFT_OVERHEAD + (user == null ? 0 : user.length());
    ByteString prefix = prefix(key);
    ByteString own = ownKey(prefix, Long.MAX_VALUE);
    long size =
        Math.max(
            acquire(prefix, own, locker.value(), Long.MAX_VALUE).getSerializedSize(),
            take(key, own, Long.MAX_VALUE, locker.value(), Long.MAX_VALUE).getSerializedSize());
    int limit = context.config().maxRequestBytes();
    if (size + overhead > limit) {
      throw new InvalidValueException(
          "lock value for key '"
              + key.name()
              + "' is too large:"
              + " the lock's requests would be "
              + (size + overhead)
              + " bytes, over the cluster's"
              + " limit of "
              + limit
              + " bytes per request (etcd's --max-request-bytes)");
    }
  }

  // --- revoking ---

  /**
   * Stops keeping lease {@code id} alive and revokes it (deleting the keys on it), resending until
   * etcd confirms (revoke is idempotent; an unknown lease counts as revoked). The future completes
   * with true once etcd confirmed within the first request timeout, false if not; then the revoke
   * goes on in the background until etcd confirms, the store closes, or the lease's TTL plus a
   * minute has passed (it expires by itself: its keep-alive has stopped).
   */
  CompletableFuture<Boolean> revoke(long id, long ttlSeconds, Op op) {
    context.leases().stopKeepingAlive(id);
    CompletableFuture<Boolean> first = new CompletableFuture<>();
    long giveUpAt =
        context.time().now() + TimeUnit.SECONDS.toNanos(ttlSeconds) + REVOKE_RETRY_MARGIN_NANOS;
    revokeOnce(id, op, first, giveUpAt, 100);
    return first;
  }

  private void revokeOnce(
      long id, Op op, CompletableFuture<Boolean> first, long giveUpAt, long retryMillis) {
    LeaseRevokeRequest request = LeaseRevokeRequest.newBuilder().setID(id).build();
    var unused =
        context
            .calls()
            .send(
                LeaseGrpc.getLeaseRevokeMethod(),
                request,
                Op.idempotent("lease revoke for " + op.operation(), op.key()))
            .whenComplete(
                (response, failure) -> {
                  if (failure == null || isUnknownLease(failure)) {
                    first.complete(true);
                    return;
                  }
                  first.complete(false);
                  Throwable cause = Errors.unwrap(failure);
                  if (cause instanceof StoreClosedException
                      || context.isClosed()
                      || context.time().now() - giveUpAt >= 0) {
                    LOG.log(
                        Level.DEBUG,
                        () ->
                            "lease "
                                + Long.toHexString(id)
                                + " of "
                                + op.what()
                                + " not revoked; it expires with its TTL: "
                                + cause.getMessage());
                    return;
                  }
                  long next = Math.min(2_000, retryMillis * 2);
                  try {
                    var unusedRetry =
                        context
                            .time()
                            .scheduler()
                            .schedule(
                                () -> revokeOnce(id, op, first, giveUpAt, next),
                                retryMillis,
                                TimeUnit.MILLISECONDS);
                  } catch (RejectedExecutionException e) {
                    // The store is closing; the lease expires with its TTL.
                  }
                });
  }

  private static boolean isUnknownLease(@Nullable Throwable failure) {
    Throwable cause = failure == null ? null : Errors.unwrap(failure);
    return cause instanceof StoreException e
        && e.getMessage() != null
        && e.getMessage().contains("requested lease not found");
  }
}
