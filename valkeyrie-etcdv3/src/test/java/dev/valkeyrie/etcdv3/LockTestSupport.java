package dev.valkeyrie.etcdv3;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.protobuf.ByteString;
import dev.valkeyrie.etcdv3.rpc.DeleteRangeRequest;
import dev.valkeyrie.etcdv3.rpc.KVGrpc;
import dev.valkeyrie.etcdv3.rpc.LeaseGrpc;
import dev.valkeyrie.etcdv3.rpc.LeaseRevokeRequest;
import dev.valkeyrie.etcdv3.rpc.LeaseTimeToLiveRequest;
import dev.valkeyrie.etcdv3.rpc.RangeRequest;
import dev.valkeyrie.etcdv3.rpc.mvcc.KeyValue;
import dev.valkeyrie.store.Lease;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What the lock tests share (beyond {@link TestSupport}): stores with their lock part at hand, and
 * raw reads and writes of the recipe's keys and leases.
 */
final class LockTestSupport {
  private static final Pattern WATCHERS =
      Pattern.compile("(?m)^etcd_debugging_mvcc_watcher_total ([0-9.e+]+)$");

  private LockTestSupport() {}

  /** A store and its lock part. */
  record Opened(EtcdV3Store store, Locks locks) implements AutoCloseable {
    @Override
    public void close() {
      store.close();
    }
  }

  /** Opens a store with the standard parts, keeping a hand on its lock part. */
  static Opened open(List<String> endpoints, EtcdV3Config config) {
    AtomicReference<Locks> locks = new AtomicReference<>();
    EtcdV3Store.Parts standard = EtcdV3Store.Parts.standard();
    EtcdV3Store store =
        EtcdV3Store.open(
            endpoints,
            config,
            null,
            new EtcdV3Store.Parts(
                standard.watches(),
                context -> {
                  Locks part = new Locks(context);
                  locks.set(part);
                  return part;
                }));
    return new Opened(store, locks.get());
  }

  /** The keys under {@code <key>___lock/}, oldest (smallest create revision) first. */
  static List<KeyValue> lockKeys(EtcdV3Store store, String key) {
    ByteString prefix = Locks.prefix(Key.of(key));
    return store
        .context()
        .calls()
        .call(
            KVGrpc.getRangeMethod(),
            RangeRequest.newBuilder()
                .setKey(prefix)
                .setRangeEnd(Key.prefixEnd(prefix))
                .setSortTarget(RangeRequest.SortTarget.CREATE)
                .setSortOrder(RangeRequest.SortOrder.ASCEND)
                .build(),
            Op.read("test", key))
        .getKvsList();
  }

  /** The key itself, or null. */
  static @Nullable KeyValue read(EtcdV3Store store, ByteString key) {
    List<KeyValue> kvs =
        store
            .context()
            .calls()
            .call(
                KVGrpc.getRangeMethod(),
                RangeRequest.newBuilder().setKey(key).build(),
                Op.read("test", ""))
            .getKvsList();
    return kvs.isEmpty() ? null : kvs.get(0);
  }

  static void delete(EtcdV3Store store, ByteString key) {
    store
        .context()
        .calls()
        .call(
            KVGrpc.getDeleteRangeMethod(),
            DeleteRangeRequest.newBuilder().setKey(key).build(),
            Op.write("test", ""));
  }

  static void revoke(EtcdV3Store store, long leaseId) {
    store
        .context()
        .calls()
        .call(
            LeaseGrpc.getLeaseRevokeMethod(),
            LeaseRevokeRequest.newBuilder().setID(leaseId).build(),
            Op.idempotent("test", ""));
  }

  /** The lease's remaining TTL; -1 once it is gone. */
  static long leaseTtl(EtcdV3Store store, long leaseId) {
    return store
        .context()
        .calls()
        .call(
            LeaseGrpc.getLeaseTimeToLiveMethod(),
            LeaseTimeToLiveRequest.newBuilder().setID(leaseId).build(),
            Op.read("test", ""))
        .getTTL();
  }

  /** The holding's own key, {@code <key>___lock/<lease hex>}. */
  static ByteString ownKey(Lease lease) {
    return ((MutexSession) lease).ownKey();
  }

  static long leaseId(Lease lease) {
    return ((MutexSession) lease).leaseId();
  }

  /** The lease ID a lock key names (its last segment, in hex). */
  static long leaseOf(KeyValue lockKey) {
    String name = lockKey.getKey().toStringUtf8();
    return Long.parseUnsignedLong(name.substring(name.lastIndexOf('/') + 1), 16);
  }

  /** etcd's gauge of open watchers on the member at {@code endpoint}. */
  static long etcdWatchers(String endpoint) throws IOException {
    HttpURLConnection connection =
        (HttpURLConnection) URI.create(endpoint + "/metrics").toURL().openConnection();
    connection.setConnectTimeout(2_000);
    connection.setReadTimeout(5_000);
    try (InputStream in = connection.getInputStream()) {
      String body = new String(in.readAllBytes(), UTF_8);
      Matcher m = WATCHERS.matcher(body);
      if (!m.find()) {
        throw new IOException("no etcd_debugging_mvcc_watcher_total in /metrics");
      }
      return (long) Double.parseDouble(m.group(1));
    } finally {
      connection.disconnect();
    }
  }
}
