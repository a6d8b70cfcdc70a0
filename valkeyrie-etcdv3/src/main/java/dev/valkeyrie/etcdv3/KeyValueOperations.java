package dev.valkeyrie.etcdv3;

import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import dev.valkeyrie.etcdv3.rpc.Compare;
import dev.valkeyrie.etcdv3.rpc.DeleteRangeRequest;
import dev.valkeyrie.etcdv3.rpc.KVGrpc;
import dev.valkeyrie.etcdv3.rpc.PutRequest;
import dev.valkeyrie.etcdv3.rpc.RangeRequest;
import dev.valkeyrie.etcdv3.rpc.RangeResponse;
import dev.valkeyrie.etcdv3.rpc.RequestOp;
import dev.valkeyrie.etcdv3.rpc.TxnRequest;
import dev.valkeyrie.etcdv3.rpc.TxnResponse;
import dev.valkeyrie.etcdv3.rpc.mvcc.KeyValue;
import dev.valkeyrie.store.CallNotSupportedException;
import dev.valkeyrie.store.InvalidKeyException;
import dev.valkeyrie.store.InvalidValueException;
import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.KeyExistsException;
import dev.valkeyrie.store.KeyModifiedException;
import dev.valkeyrie.store.KeyNotFoundException;
import dev.valkeyrie.store.KeyTypeException;
import dev.valkeyrie.store.PreviousNotSpecifiedException;
import dev.valkeyrie.store.ReadOptions;
import dev.valkeyrie.store.StoreException;
import dev.valkeyrie.store.StoreUnavailableException;
import dev.valkeyrie.store.WriteOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * put, get, delete, exists, list, deleteTree and the atomic operations, on etcd's KV service (see
 * {@code DESIGN.md} for each mapping).
 *
 * <p>Leases of TTL writes: each TTL write gets a lease of its own (client-chosen ID), and this
 * store remembers which of its leases each key is on. When this store rewrites or deletes such a
 * key, the key's previous lease (now without keys) is revoked, so no lease is left per write; a
 * lease whose write failed is revoked at once. {@link WriteOptions#keepAlive()} registers the lease
 * with {@link Leases}.
 */
final class KeyValueOperations implements StoreContext.Resource {

  /**
   * Keys per page of a listing; halved when a page is larger than the inbound limit. 2,048: a
   * listing of 1,000 keys is one request, not two (measured: one round trip and its allocations
   * less per listing).
   */
  static final int PAGE = 2048;

  /** What etcd adds to a request before it checks its size (raft request header). */
  private static final int RAFT_OVERHEAD = 64;

  private static final int MAX_LISTING_RESTARTS = 3;

  private final CallLayer calls;
  private final Leases leases;
  private final StoreTime time;
  private final int maxRequestBytes;
  private final int overhead;

  /** The keys this store last wrote with a lease of its own, and that lease. */
  private final Map<String, Owned> owned = new ConcurrentHashMap<>();

  /**
   * A lease of this store with one key on it; a kept-alive one is checked every {@code check}
   * period for still having its key.
   */
  private record Owned(long leaseId, Leases.@Nullable KeptLease kept, @Nullable Future<?> check) {
    void cancelCheck() {
      if (check != null) {
        check.cancel(false);
      }
    }
  }

  /** How often a kept-alive lease is checked for its key: 3 TTLs, within [6 s, 60 s]. */
  static long checkPeriodSeconds(long ttlSeconds) {
    return Math.max(6, Math.min(60, 3 * ttlSeconds));
  }

  KeyValueOperations(StoreContext context) {
    this.calls = context.calls();
    this.leases = context.leases();
    this.time = context.time();
    this.maxRequestBytes = context.config().maxRequestBytes();
    String user = context.user();
    this.overhead = RAFT_OVERHEAD + (user == null ? 0 : user.length());
    context.register(this);
  }

  // --- put ---

  void put(@Nullable String rawKey, byte @Nullable [] value, @Nullable WriteOptions options) {
    Key key = Key.of(rawKey);
    WriteOptions o = options == null ? WriteOptions.DEFAULT : options;
    if (o.isDir()) {
      putDirectory(key, o);
      return;
    }
    byte[] bytes = requireValue(key, value);
    Op op = Op.write("put", key.name());
    if (!o.hasTtl()) {
      PutRequest request =
          PutRequest.newBuilder().setKey(key.bytes()).setValue(ByteString.copyFrom(bytes)).build();
      checkSize(key, request);
      calls.call(KVGrpc.getPutMethod(), request, op);
      replaced(key, null, op);
      return;
    }
    long ttl = Leases.ttlSeconds(o.ttl(), key.name());
    long id = leases.newId();
    PutRequest request =
        PutRequest.newBuilder()
            .setKey(key.bytes())
            .setValue(ByteString.copyFrom(bytes))
            .setLease(id)
            .build();
    checkSize(key, request);
    grant(id, ttl, op);
    try {
      calls.call(KVGrpc.getPutMethod(), request, op);
    } catch (RuntimeException e) {
      abandon(id, e, op);
      throw e;
    }
    replaced(key, owned(key, id, ttl, o.keepAlive()), op);
  }

  /**
   * A directory is its key plus the keys below it: make sure the key exists, with an empty value,
   * and leave a key that exists (with or without a value) alone.
   */
  private void putDirectory(Key key, WriteOptions o) {
    if (o.hasTtl()) {
      throw new CallNotSupportedException(
          "put of directory '"
              + key.name()
              + "' with a TTL:"
              + " etcd v3 has no directories, so a TTL cannot remove the keys below one; give the"
              + " TTL to each key");
    }
    TxnRequest request =
        TxnRequest.newBuilder()
            .addCompare(
                Compare.newBuilder()
                    .setKey(key.bytes())
                    .setTarget(Compare.CompareTarget.CREATE)
                    .setResult(Compare.CompareResult.EQUAL)
                    .setCreateRevision(0))
            .addSuccess(
                RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(key.bytes())))
            .build();
    checkSize(key, request);
    TxnResponse response = calls.call(KVGrpc.getTxnMethod(), request, Op.write("put", key.name()));
    if (response.getSucceeded()) {
      replaced(key, null, Op.write("put", key.name()));
    }
  }

  // --- get and exists ---

  KVPair get(@Nullable String rawKey, @Nullable ReadOptions options) {
    Key key = Key.of(rawKey);
    RangeRequest request =
        RangeRequest.newBuilder().setKey(key.bytes()).setSerializable(!consistent(options)).build();
    RangeResponse response =
        calls.call(KVGrpc.getRangeMethod(), request, Op.read("get", key.name()));
    if (response.getKvsCount() == 0) {
      throw new KeyNotFoundException("key '" + key.name() + "' not found (get)");
    }
    return pair(response.getKvs(0));
  }

  boolean exists(@Nullable String rawKey, @Nullable ReadOptions options) {
    Key key = Key.of(rawKey);
    boolean serializable = !consistent(options);
    TxnRequest request =
        TxnRequest.newBuilder()
            .addSuccess(
                range(
                    RangeRequest.newBuilder()
                        .setKey(key.bytes())
                        .setCountOnly(true)
                        .setSerializable(serializable)))
            .addSuccess(
                range(
                    RangeRequest.newBuilder()
                        .setKey(key.childrenStart())
                        .setRangeEnd(key.childrenEnd())
                        .setCountOnly(true)
                        .setLimit(1)
                        .setSerializable(serializable)))
            .build();
    TxnResponse response =
        calls.call(KVGrpc.getTxnMethod(), request, Op.read("exists", key.name()));
    return response.getResponses(0).getResponseRange().getCount() > 0
        || response.getResponses(1).getResponseRange().getCount() > 0;
  }

  // --- delete ---

  void delete(@Nullable String rawKey) {
    Key key = Key.of(rawKey);
    Op op = Op.write("delete", key.name());
    // "No key below it" is a range compare: an empty range compares as a zero KeyValue.
    TxnRequest request =
        TxnRequest.newBuilder()
            .addCompare(noChildren(key))
            .addSuccess(
                RequestOp.newBuilder()
                    .setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(key.bytes())))
            .addFailure(
                range(
                    RangeRequest.newBuilder()
                        .setKey(key.childrenStart())
                        .setRangeEnd(key.childrenEnd())
                        .setCountOnly(true)
                        .setLimit(1)))
            .build();
    TxnResponse response = calls.call(KVGrpc.getTxnMethod(), request, op);
    if (!response.getSucceeded()) {
      throw new KeyTypeException(
          "cannot delete '"
              + key.name()
              + "': there are keys below it"
              + " (it is a directory that is not empty); use deleteTree");
    }
    if (response.getResponses(0).getResponseDeleteRange().getDeleted() == 0) {
      throw new KeyNotFoundException("key '" + key.name() + "' not found (delete)");
    }
    replaced(key, null, op);
  }

  // --- list and deleteTree ---

  List<KVPair> list(@Nullable String rawDirectory, @Nullable ReadOptions options) {
    Key dir = Key.directory(rawDirectory);
    boolean serializable = !consistent(options);
    Op op = Op.read("list", dir.name());
    for (int restart = 0; ; restart++) {
      try {
        return listOnce(dir, serializable, op);
      } catch (StoreException e) {
        // A later page read at a revision compacted meanwhile: start again at a newer one.
        if (restart >= MAX_LISTING_RESTARTS
            || e.getMessage() == null
            || !e.getMessage().contains("compacted")) {
          throw e;
        }
      }
    }
  }

  private List<KVPair> listOnce(Key dir, boolean serializable, Op op) {
    int page = PAGE;
    List<KeyValue> found = new ArrayList<>();
    long revision;
    boolean more;
    while (true) {
      try {
        // The children first, alone: a user whose permissions cover the prefix d/ but not the
        // key d can list d. The key d is read only when there are no children.
        RangeResponse response =
            calls.call(
                KVGrpc.getRangeMethod(),
                RangeRequest.newBuilder()
                    .setKey(dir.childrenStart())
                    .setRangeEnd(dir.childrenEnd())
                    .setLimit(page)
                    .setSerializable(serializable)
                    .build(),
                op);
        found.addAll(response.getKvsList());
        revision = response.getHeader().getRevision();
        more = response.getMore();
        break;
      } catch (StoreException e) {
        page = smallerPage(page, e);
      }
    }
    if (found.isEmpty() && !dir.isRoot()) {
      RangeResponse self =
          calls.call(
              KVGrpc.getRangeMethod(),
              RangeRequest.newBuilder()
                  .setKey(dir.bytes())
                  .setCountOnly(true)
                  .setSerializable(serializable)
                  .build(),
              op);
      if (self.getCount() == 0) {
        throw new KeyNotFoundException("directory '" + dir.name() + "' not found (list)");
      }
      return List.of();
    }
    while (more) {
      ByteString after =
          found.get(found.size() - 1).getKey().concat(ByteString.copyFrom(new byte[] {0}));
      try {
        RangeResponse response =
            calls.call(
                KVGrpc.getRangeMethod(),
                RangeRequest.newBuilder()
                    .setKey(after)
                    .setRangeEnd(dir.childrenEnd())
                    .setLimit(page)
                    .setRevision(revision)
                    .setSerializable(serializable)
                    .build(),
                op);
        found.addAll(response.getKvsList());
        more = response.getMore() && response.getKvsCount() > 0;
      } catch (StoreException e) {
        page = smallerPage(page, e);
      }
    }
    List<KVPair> listing = new ArrayList<>(found.size());
    for (KeyValue kv : found) {
      String name = Key.nameOf(kv.getKey());
      if (!Key.isLockSideKey(name)) {
        listing.add(new KVPair(name, kv.getValue().toByteArray(), kv.getModRevision()));
      }
    }
    return listing;
  }

  /** After a failed page: a smaller page if the answer was too large, else the failure. */
  private static int smallerPage(int page, StoreException e) {
    if (page > 1 && e.getMessage() != null && e.getMessage().contains("maxInboundMessageBytes")) {
      return page / 2;
    }
    throw e;
  }

  void deleteTree(@Nullable String rawDirectory) {
    Key dir = Key.directory(rawDirectory);
    if (dir.isRoot()) {
      throw new InvalidKeyException(
          "deleteTree of the root is refused: it would delete every" + " key of the cluster");
    }
    Op op = Op.write("deleteTree", dir.name());
    TxnRequest request =
        TxnRequest.newBuilder()
            .addSuccess(
                RequestOp.newBuilder()
                    .setRequestDeleteRange(
                        DeleteRangeRequest.newBuilder()
                            .setKey(dir.childrenStart())
                            .setRangeEnd(dir.childrenEnd())))
            .addSuccess(
                RequestOp.newBuilder()
                    .setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(dir.bytes())))
            .build();
    TxnResponse response = calls.call(KVGrpc.getTxnMethod(), request, op);
    long deleted =
        response.getResponses(0).getResponseDeleteRange().getDeleted()
            + response.getResponses(1).getResponseDeleteRange().getDeleted();
    if (deleted == 0) {
      throw new KeyNotFoundException("directory '" + dir.name() + "' not found (deleteTree)");
    }
    for (String name : new ArrayList<>(owned.keySet())) {
      if (dir.contains(name)) {
        forget(name, op);
      }
    }
  }

  // --- atomic operations ---

  KVPair atomicPut(
      @Nullable String rawKey,
      byte @Nullable [] value,
      @Nullable KVPair previous,
      @Nullable WriteOptions options) {
    Key key = Key.of(rawKey);
    WriteOptions o = options == null ? WriteOptions.DEFAULT : options;
    if (o.isDir()) {
      throw new CallNotSupportedException(
          "atomicPut of '"
              + key.name()
              + "' with isDir: a"
              + " directory cannot be compared and swapped; use put");
    }
    byte[] bytes = requireValue(key, value);
    Compare condition =
        previous == null
            ? Compare.newBuilder()
                .setKey(key.bytes())
                .setTarget(Compare.CompareTarget.CREATE)
                .setResult(Compare.CompareResult.EQUAL)
                .setCreateRevision(0)
                .build()
            : Compare.newBuilder()
                .setKey(key.bytes())
                .setTarget(Compare.CompareTarget.MOD)
                .setResult(Compare.CompareResult.EQUAL)
                .setModRevision(checkedIndex(key, previous))
                .build();
    Op op = Op.write("atomicPut", key.name());
    long ttl = o.hasTtl() ? Leases.ttlSeconds(o.ttl(), key.name()) : 0;
    long id = ttl > 0 ? leases.newId() : 0;
    PutRequest.Builder put =
        PutRequest.newBuilder().setKey(key.bytes()).setValue(ByteString.copyFrom(bytes));
    if (id != 0) {
      put.setLease(id);
    }
    TxnRequest request =
        TxnRequest.newBuilder()
            .addCompare(condition)
            .addSuccess(RequestOp.newBuilder().setRequestPut(put))
            .addFailure(range(RangeRequest.newBuilder().setKey(key.bytes()).setKeysOnly(true)))
            .build();
    checkSize(key, request);
    if (id != 0) {
      grant(id, ttl, op);
    }
    TxnResponse response;
    try {
      response = calls.call(KVGrpc.getTxnMethod(), request, op);
    } catch (RuntimeException e) {
      abandon(id, e, op);
      throw e;
    }
    if (!response.getSucceeded()) {
      abandon(id, null, op);
      boolean absent = response.getResponses(0).getResponseRange().getKvsCount() == 0;
      if (previous == null) {
        throw new KeyExistsException("key '" + key.name() + "' already exists (atomicPut)");
      }
      if (absent) {
        throw new KeyNotFoundException(
            "key '"
                + key.name()
                + "' not found (atomicPut): it was"
                + " deleted since it was read at index "
                + previous.lastIndex());
      }
      throw new KeyModifiedException(
          "key '"
              + key.name()
              + "' was modified since it was read at"
              + " index "
              + previous.lastIndex()
              + " (atomicPut)");
    }
    replaced(key, id == 0 ? null : owned(key, id, ttl, o.keepAlive()), op);
    // One txn is one revision: the header's is the new mod_revision of the key.
    return new KVPair(key.name(), bytes, response.getHeader().getRevision());
  }

  long atomicDelete(@Nullable String rawKey, @Nullable KVPair previous) {
    Key key = Key.of(rawKey);
    if (previous == null) {
      throw new PreviousNotSpecifiedException(
          "atomicDelete of '" + key.name() + "' needs the previous pair to compare against");
    }
    long index = checkedIndex(key, previous);
    Op op = Op.write("atomicDelete", key.name());
    TxnRequest request =
        TxnRequest.newBuilder()
            .addCompare(
                Compare.newBuilder()
                    .setKey(key.bytes())
                    .setTarget(Compare.CompareTarget.MOD)
                    .setResult(Compare.CompareResult.EQUAL)
                    .setModRevision(index))
            .addCompare(noChildren(key))
            .addSuccess(
                RequestOp.newBuilder()
                    .setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(key.bytes())))
            .addFailure(range(RangeRequest.newBuilder().setKey(key.bytes()).setKeysOnly(true)))
            .build();
    TxnResponse response = calls.call(KVGrpc.getTxnMethod(), request, op);
    if (!response.getSucceeded()) {
      RangeResponse current = response.getResponses(0).getResponseRange();
      if (current.getKvsCount() == 0) {
        throw new KeyNotFoundException("key '" + key.name() + "' not found (atomicDelete)");
      }
      if (current.getKvs(0).getModRevision() != index) {
        throw new KeyModifiedException(
            "key '"
                + key.name()
                + "' was modified since it was read"
                + " at index "
                + index
                + " (atomicDelete)");
      }
      throw new KeyTypeException(
          "cannot delete '"
              + key.name()
              + "': there are keys below it"
              + " (atomicDelete); use deleteTree");
    }
    replaced(key, null, op);
    return response.getHeader().getRevision();
  }

  // --- leases of TTL writes ---

  private void grant(long id, long ttl, Op op) {
    try {
      leases.grantNow(id, ttl, op);
    } catch (StoreUnavailableException e) {
      // The grant is not the write: whatever happened to it, the write was not sent.
      throw new StoreUnavailableException(
          op.what()
              + ": could not get a lease for its TTL, so"
              + " it was not sent ("
              + e.getMessage()
              + ")",
          e,
          false);
    }
  }

  /**
   * The write with lease {@code id} failed: revoke the lease, unless the write may have been
   * applied (then the key may be on it; it expires with its TTL).
   */
  private void abandon(long id, @Nullable RuntimeException failure, Op op) {
    if (id == 0) {
      return;
    }
    if (failure instanceof StoreUnavailableException u && u.outcomeUnknown()) {
      return;
    }
    var unused = leases.revoke(id, op);
  }

  /**
   * The lease {@code id} now holds {@code key}; kept alive if asked. A kept-alive lease is checked
   * now and then for still holding the key: when another client rewrote or deleted it, renewing the
   * lease would keep a keyless lease alive forever, so it is revoked instead.
   */
  private Owned owned(Key key, long id, long ttl, boolean keepAlive) {
    if (!keepAlive) {
      return new Owned(id, null, null);
    }
    Leases.KeptLease kept = leases.keepAlive(id, ttl, () -> lost(key, id));
    long period = checkPeriodSeconds(ttl);
    Future<?> check = null;
    try {
      check =
          time.scheduler()
              .scheduleWithFixedDelay(
                  () -> checkStillHeld(key, id), period, period, TimeUnit.SECONDS);
    } catch (RejectedExecutionException e) {
      // The store is closing.
    }
    return new Owned(id, kept, check);
  }

  private void checkStillHeld(Key key, long id) {
    Op op = Op.read("keep-alive check", key.name());
    leases
        .timeToLive(id, true, op)
        .thenAccept(
            response -> {
              if (response.getTTL() <= 0) {
                lost(key, id);
              } else if (response.getKeysCount() == 0) {
                Owned current = owned.get(key.name());
                if (current != null
                    && current.leaseId() == id
                    && owned.remove(key.name(), current)) {
                  current.cancelCheck();
                  var unused =
                      leases.revoke(id, op); // the key was rewritten or deleted by someone else
                }
              }
            })
        .exceptionally(failure -> null); // checked again at the next period
  }

  /** {@code key} was written (with {@code next}, or without a lease of ours) or deleted. */
  private void replaced(Key key, @Nullable Owned next, Op op) {
    Owned previous = next == null ? owned.remove(key.name()) : owned.put(key.name(), next);
    if (previous != null && (next == null || previous.leaseId() != next.leaseId())) {
      previous.cancelCheck();
      var unused = leases.revoke(previous.leaseId(), op); // it has no key any more
    }
  }

  private void forget(String name, Op op) {
    Owned previous = owned.remove(name);
    if (previous != null) {
      previous.cancelCheck();
      var unused = leases.revoke(previous.leaseId(), op);
    }
  }

  /** A kept-alive lease of {@code key} was lost: the key is gone (or going) with it. */
  private void lost(Key key, long id) {
    Owned current = owned.get(key.name());
    if (current != null && current.leaseId() == id && owned.remove(key.name(), current)) {
      current.cancelCheck();
    }
  }

  /** How many leases this store holds for keys it wrote with a TTL (for tests). */
  int ownedLeases() {
    return owned.size();
  }

  @Override
  public CompletableFuture<?> shutdown(Throwable cause) {
    owned.values().forEach(Owned::cancelCheck);
    owned.clear(); // keep-alives stop with the leases; the keys expire with their TTL
    return CompletableFuture.completedFuture(null);
  }

  // --- helpers ---

  private static Compare noChildren(Key key) {
    return Compare.newBuilder()
        .setKey(key.childrenStart())
        .setRangeEnd(key.childrenEnd())
        .setTarget(Compare.CompareTarget.CREATE)
        .setResult(Compare.CompareResult.LESS)
        .setCreateRevision(1)
        .build();
  }

  private static RequestOp range(RangeRequest.Builder range) {
    return RequestOp.newBuilder().setRequestRange(range).build();
  }

  private static KVPair pair(KeyValue kv) {
    return new KVPair(Key.nameOf(kv.getKey()), kv.getValue().toByteArray(), kv.getModRevision());
  }

  private static boolean consistent(@Nullable ReadOptions options) {
    return options == null || options.consistent();
  }

  private static byte[] requireValue(Key key, byte @Nullable [] value) {
    if (value == null) {
      throw new InvalidValueException("value for key '" + key.name() + "' is null");
    }
    return value;
  }

  private static long checkedIndex(Key key, KVPair previous) {
    if (previous.lastIndex() <= 0) {
      // mod_revision == 0 means "absent" to etcd: it would turn a swap into a create.
      throw new InvalidValueException(
          "previous pair for '"
              + key.name()
              + "' has lastIndex "
              + previous.lastIndex()
              + "; pass a pair read from the store");
    }
    return previous.lastIndex();
  }

  /** Refuses, before sending, a request the cluster would refuse as too large (pitfall 8). */
  private void checkSize(Key key, MessageLite request) {
    long size = (long) request.getSerializedSize() + overhead;
    if (size > maxRequestBytes) {
      throw new InvalidValueException(
          "value for key '"
              + key.name()
              + "' is too large: the"
              + " request would be "
              + size
              + " bytes, over the cluster's limit of "
              + maxRequestBytes
              + " bytes per request (etcd's --max-request-bytes)");
    }
  }
}
