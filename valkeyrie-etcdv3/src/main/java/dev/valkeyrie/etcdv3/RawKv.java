package dev.valkeyrie.etcdv3;

import com.google.protobuf.ByteString;
import dev.valkeyrie.etcdv3.migration.V3Entry;
import dev.valkeyrie.etcdv3.migration.V3Guard;
import dev.valkeyrie.etcdv3.migration.V3Range;
import dev.valkeyrie.etcdv3.migration.V3TxnResult;
import dev.valkeyrie.etcdv3.migration.V3Write;
import dev.valkeyrie.etcdv3.migration.V3Writer;
import dev.valkeyrie.etcdv3.rpc.Compare;
import dev.valkeyrie.etcdv3.rpc.DeleteRangeRequest;
import dev.valkeyrie.etcdv3.rpc.KVGrpc;
import dev.valkeyrie.etcdv3.rpc.PutRequest;
import dev.valkeyrie.etcdv3.rpc.RangeRequest;
import dev.valkeyrie.etcdv3.rpc.RangeResponse;
import dev.valkeyrie.etcdv3.rpc.RequestOp;
import dev.valkeyrie.etcdv3.rpc.TxnRequest;
import dev.valkeyrie.etcdv3.rpc.mvcc.KeyValue;
import dev.valkeyrie.store.InvalidValueException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@link V3Writer} on a store's own call layer and leases: the migration's writes, with the key
 * bytes and directory layout of {@link KeyValueOperations}.
 */
final class RawKv implements V3Writer {
  private static final int PAGE = 1000;
  private static final int RAFT_OVERHEAD = 64;

  private final CallLayer calls;
  private final Leases leases;
  private final int maxRequestBytes;

  RawKv(StoreContext context) {
    this.calls = context.calls();
    this.leases = context.leases();
    String user = context.user();
    this.maxRequestBytes =
        context.config().maxRequestBytes() - RAFT_OVERHEAD - (user == null ? 0 : user.length());
  }

  @Override
  public void checkKey(String key) {
    Key.of(key);
  }

  @Override
  public int maxRequestBytes() {
    return maxRequestBytes;
  }

  @Override
  public V3Range readTree(String directory) {
    Key dir = Key.directory(directory);
    Op op = Op.read("migration read", dir.name());
    List<V3Entry> entries = new ArrayList<>();
    long revision = 0;
    if (!dir.isRoot()) {
      RangeResponse self =
          calls.call(
              KVGrpc.getRangeMethod(), RangeRequest.newBuilder().setKey(dir.bytes()).build(), op);
      revision = self.getHeader().getRevision();
      self.getKvsList().forEach(kv -> entries.add(entry(kv)));
    }
    ByteString start = dir.childrenStart();
    ByteString end = dir.childrenEnd();
    while (true) {
      RangeResponse page =
          calls.call(
              KVGrpc.getRangeMethod(),
              RangeRequest.newBuilder()
                  .setKey(start)
                  .setRangeEnd(end)
                  .setLimit(PAGE)
                  .setRevision(revision)
                  .build(),
              op);
      if (revision == 0) {
        revision = page.getHeader().getRevision();
      }
      page.getKvsList().forEach(kv -> entries.add(entry(kv)));
      if (!page.getMore() || page.getKvsCount() == 0) {
        break;
      }
      start =
          page.getKvs(page.getKvsCount() - 1).getKey().concat(ByteString.copyFrom(new byte[] {0}));
    }
    return new V3Range(revision, entries);
  }

  @Override
  public CompletableFuture<Long> grantLease(long ttlSeconds) {
    long ttl = Math.max(Leases.MIN_TTL_SECONDS, ttlSeconds);
    return leases.grant(leases.newId(), ttl, Op.write("migration", ""));
  }

  @Override
  public CompletableFuture<V3TxnResult> txn(List<V3Guard> guards, List<V3Write> writes) {
    if (writes.size() > MAX_OPS) {
      throw new IllegalArgumentException(writes.size() + " writes in one txn, over " + MAX_OPS);
    }
    TxnRequest.Builder txn = TxnRequest.newBuilder();
    for (V3Guard guard : guards) {
      txn.addCompare(
          Compare.newBuilder()
              .setKey(Key.of(guard.key()).bytes())
              .setTarget(Compare.CompareTarget.MOD)
              .setResult(Compare.CompareResult.EQUAL)
              .setModRevision(guard.modRevision()));
    }
    for (V3Write write : writes) {
      txn.addSuccess(op(write));
    }
    TxnRequest request = txn.build();
    String first = writes.isEmpty() ? "" : writes.get(0).key();
    if (request.getSerializedSize() > maxRequestBytes) {
      throw new InvalidValueException(
          "migration txn of "
              + writes.size()
              + " writes from '"
              + first
              + "' is "
              + request.getSerializedSize()
              + " bytes, over etcd's request limit of "
              + maxRequestBytes);
    }
    return calls
        .send(KVGrpc.getTxnMethod(), request, Op.write("migration txn", first))
        .thenApply(r -> new V3TxnResult(r.getSucceeded(), r.getHeader().getRevision()));
  }

  private static RequestOp op(V3Write write) {
    Key key = Key.of(write.key());
    if (write instanceof V3Write.Put put) {
      return RequestOp.newBuilder()
          .setRequestPut(
              PutRequest.newBuilder()
                  .setKey(key.bytes())
                  .setValue(ByteString.copyFrom(put.value()))
                  .setLease(put.lease()))
          .build();
    }
    if (write instanceof V3Write.PutIfAbsent) {
      return RequestOp.newBuilder()
          .setRequestTxn(
              TxnRequest.newBuilder()
                  .addCompare(
                      Compare.newBuilder()
                          .setKey(key.bytes())
                          .setTarget(Compare.CompareTarget.CREATE)
                          .setResult(Compare.CompareResult.EQUAL)
                          .setCreateRevision(0))
                  .addSuccess(
                      RequestOp.newBuilder()
                          .setRequestPut(PutRequest.newBuilder().setKey(key.bytes()))))
          .build();
    }
    if (write instanceof V3Write.Delete) {
      return RequestOp.newBuilder()
          .setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(key.bytes()))
          .build();
    }
    return RequestOp.newBuilder()
        .setRequestTxn(
            TxnRequest.newBuilder()
                .addSuccess(
                    RequestOp.newBuilder()
                        .setRequestDeleteRange(
                            DeleteRangeRequest.newBuilder()
                                .setKey(key.childrenStart())
                                .setRangeEnd(key.childrenEnd())))
                .addSuccess(
                    RequestOp.newBuilder()
                        .setRequestDeleteRange(
                            DeleteRangeRequest.newBuilder().setKey(key.bytes()))))
        .build();
  }

  private static V3Entry entry(KeyValue kv) {
    return new V3Entry(
        Key.nameOf(kv.getKey()), kv.getValue().toByteArray(), kv.getModRevision(), kv.getLease());
  }
}
