package dev.valkeyrie.etcdv2;

import dev.valkeyrie.store.CallNotSupportedException;
import dev.valkeyrie.store.InvalidKeyException;
import dev.valkeyrie.store.InvalidValueException;
import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.KeyNotFoundException;
import dev.valkeyrie.store.KeyTypeException;
import dev.valkeyrie.store.PreviousNotSpecifiedException;
import dev.valkeyrie.store.ReadOptions;
import dev.valkeyrie.store.WriteOptions;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** put, get, delete, exists, list, deleteTree and the atomic operations, on the keys API. */
final class KeyValueOperations {

  /** Go's maxFormSize: etcd refuses a form body larger than 10 MiB. */
  static final int MAX_FORM_BYTES = 10 << 20;

  /**
   * Larger TTLs overflow etcd's time arithmetic (a key without TTL, or one that expires at once).
   */
  static final long MAX_TTL_SECONDS = Integer.MAX_VALUE;

  private final KeysClient client;
  private final KeepAlives keepAlives;

  public KeyValueOperations(StoreContext context) {
    this.client = context.client();
    this.keepAlives = new KeepAlives(context);
  }

  public void put(String key, byte @Nullable [] value, @Nullable WriteOptions options) {
    KeyPath path = KeyPath.of(key);
    WriteOptions o = options == null ? WriteOptions.DEFAULT : options;
    long ttl = ttlSeconds(path, o.ttl());
    if (o.isDir()) {
      putDirectory(path, ttl, o.keepAlive());
      return;
    }
    byte[] checked = requireValue(path, value);
    Query query = Query.of();
    if (ttl > 0) {
      query.add("ttl", ttl); // without it etcd removes any TTL the key had
    }
    KeysRequest request = KeysRequest.put("put", path, query, checked);
    checkBody(path, request);
    EtcdResponse response = client.execute(request);
    track(path, false, ttl, o.keepAlive(), response.node().modifiedIndex());
  }

  /**
   * Creates a directory, or leaves an existing one alone. Never replaces a key: etcd would silently
   * turn a key into an empty directory, losing its value.
   */
  private void putDirectory(KeyPath path, long ttl, boolean keepAlive) {
    Query create = Query.of().flag("dir").add("prevExist", "false");
    if (ttl > 0) {
      create.add("ttl", ttl);
    }
    KeysRequest request = KeysRequest.put("put", path, create, null);
    KeysClient.Reply reply = client.call(request);
    if (reply.isError(EtcdError.NODE_EXIST)) {
      EtcdNode existing =
          client.execute(KeysRequest.get("put", path, Query.of().flag("quorum"))).node();
      if (!existing.dir()) {
        throw new KeyTypeException(
            "cannot create directory '"
                + path.key()
                + "': it is a key with a value (etcd v2 would replace it); delete it first");
      }
      if (ttl > 0) {
        client.execute(
            KeysRequest.put(
                "put", path, Query.of().flag("dir").flag("prevExist").add("ttl", ttl), null));
      }
      track(path, true, ttl, keepAlive, existing.modifiedIndex());
      return;
    }
    if (reply.error() != null) {
      throw client.failure(request, reply.error());
    }
    track(path, true, ttl, keepAlive, reply.response().node().modifiedIndex());
  }

  private void track(KeyPath path, boolean dir, long ttl, boolean keepAlive, long index) {
    if (keepAlive) {
      keepAlives.keep(path, dir, ttl, index);
    } else {
      keepAlives.forget(path);
    }
  }

  public KVPair get(String key, @Nullable ReadOptions options) {
    KeyPath path = KeyPath.of(key);
    KeysRequest request = KeysRequest.read("get", path, consistent(options));
    KeysClient.Reply reply = client.call(request);
    if (reply.isError(EtcdError.NOT_DIR)) {
      throw new KeyNotFoundException(
          "key '"
              + path.key()
              + "' not found (get): a parent is a key; "
              + reply.error().describe());
    }
    if (reply.error() != null) {
      throw client.failure(request, reply.error());
    }
    return Listing.pair(path.key(), reply.response().node());
  }

  public boolean exists(String key, @Nullable ReadOptions options) {
    KeyPath path = KeyPath.of(key);
    KeysRequest request = KeysRequest.read("exists", path, consistent(options));
    KeysClient.Reply reply = client.call(request);
    if (reply.isError(EtcdError.KEY_NOT_FOUND) || reply.isError(EtcdError.NOT_DIR)) {
      return false;
    }
    if (reply.error() != null) {
      throw client.failure(request, reply.error());
    }
    return true;
  }

  public void delete(String key) {
    KeyPath path = KeyPath.of(key);
    // dir=true also deletes an empty directory; a file is deleted as usual.
    client.execute(KeysRequest.delete("delete", path, Query.of().flag("dir")));
    keepAlives.forget(path);
  }

  public List<KVPair> list(String directory, @Nullable ReadOptions options) {
    KeyPath path = KeyPath.directory(directory);
    KeysRequest request = KeysRequest.list("list", path, consistent(options));
    KeysClient.Reply reply = client.call(request);
    if (reply.isError(EtcdError.NOT_DIR)) {
      throw new KeyNotFoundException(
          "directory '"
              + path.key()
              + "' not found (list): a parent is a key; "
              + reply.error().describe());
    }
    if (reply.error() != null) {
      throw client.failure(request, reply.error());
    }
    if (!reply.response().node().dir() && !path.isRoot()) {
      return List.of();
    }
    return Listing.sorted(reply.response().entries());
  }

  public void deleteTree(String directory) {
    KeyPath path = KeyPath.directory(directory);
    if (path.isRoot()) {
      throw new InvalidKeyException("deleteTree of the root is refused: etcd's root is read-only");
    }
    client.execute(KeysRequest.delete("deleteTree", path, Query.of().flag("recursive")));
    keepAlives.forgetTree(path);
  }

  public KVPair atomicPut(
      String key,
      byte @Nullable [] value,
      @Nullable KVPair previous,
      @Nullable WriteOptions options) {
    KeyPath path = KeyPath.of(key);
    WriteOptions o = options == null ? WriteOptions.DEFAULT : options;
    if (o.isDir()) {
      throw new CallNotSupportedException(
          "atomicPut of '"
              + path.key()
              + "' with isDir: etcd v2 cannot compare-and-swap directories; use put");
    }
    byte[] checked = requireValue(path, value);
    long ttl = ttlSeconds(path, o.ttl());
    Query query = Query.of();
    if (previous == null) {
      query.add("prevExist", "false");
    } else {
      // prevIndex alone is exact (any change moves modifiedIndex) and, unlike prevValue, works
      // for empty values and keeps large values out of the 4 KiB request line.
      query.add("prevIndex", checkedIndex(path, previous));
    }
    if (ttl > 0) {
      query.add("ttl", ttl);
    }
    KeysRequest request = KeysRequest.put("atomicPut", path, query, checked);
    checkBody(path, request);
    EtcdResponse response = client.execute(request);
    long index = response.node().modifiedIndex();
    track(path, false, ttl, o.keepAlive(), index);
    return new KVPair(path.key(), checked, index);
  }

  /** Returns the index of the deletion. */
  public long atomicDelete(String key, @Nullable KVPair previous) {
    KeyPath path = KeyPath.of(key);
    if (previous == null) {
      throw new PreviousNotSpecifiedException(
          "atomicDelete of '" + path.key() + "' needs the previous pair to compare against");
    }
    EtcdResponse response =
        client.execute(
            KeysRequest.delete(
                "atomicDelete", path, Query.of().add("prevIndex", checkedIndex(path, previous))));
    keepAlives.forget(path);
    return response.node().modifiedIndex();
  }

  private static long checkedIndex(KeyPath path, KVPair previous) {
    if (previous.lastIndex() <= 0) {
      // prevIndex=0 means "no condition" to etcd: it would turn a compare-and-swap into a write.
      throw new InvalidValueException(
          "previous pair for '"
              + path.key()
              + "' has lastIndex "
              + previous.lastIndex()
              + "; pass a pair read from the store");
    }
    return previous.lastIndex();
  }

  private static boolean consistent(@Nullable ReadOptions options) {
    return options == null || options.consistent();
  }

  /** The value, checked: present and valid UTF-8 (etcd v2 stores strings). */
  private static byte[] requireValue(KeyPath path, byte @Nullable [] value) {
    if (value == null) {
      throw new InvalidValueException("value for key '" + path.key() + "' is null");
    }
    PercentEncoding.requireUtf8(path.key(), value);
    return value;
  }

  private static void checkBody(KeyPath path, KeysRequest request) {
    if (request.bodySize() > MAX_FORM_BYTES) {
      throw new InvalidValueException(
          "value for key '"
              + path.key()
              + "' is too large: it encodes"
              + " to "
              + request.bodySize()
              + " bytes, over etcd's limit of "
              + MAX_FORM_BYTES
              + " bytes per request");
    }
  }

  private static long ttlSeconds(KeyPath path, Duration ttl) {
    if (ttl.isZero()) {
      return 0;
    }
    long seconds = ttl.getSeconds() + (ttl.getNano() > 0 ? 1 : 0);
    if (seconds > MAX_TTL_SECONDS) {
      throw new InvalidValueException(
          "ttl "
              + ttl
              + " for key '"
              + path.key()
              + "' is longer than etcd can represent ("
              + MAX_TTL_SECONDS
              + " s)");
    }
    return seconds;
  }
}
