package dev.valkeyrie.migrate;

import dev.valkeyrie.etcdv3.migration.V3Write;
import java.util.Map;

/**
 * One write a migration makes in v3, before its lease is known.
 *
 * @param ttl for a put, the lease's TTL in seconds (0: no lease)
 */
// The bytes as read or to write: carried, never compared or hashed as records.
@SuppressWarnings("ArrayRecordComponent")
record Change(Type type, String key, byte[] value, long ttl) {

  enum Type {
    PUT,
    /** A directory without TTL: the key with the empty value, unless the key exists. */
    PUT_IF_ABSENT,
    DELETE,
    /** A directory removed in v2: the key and everything below it. */
    DELETE_TREE
  }

  private static final byte[] NONE = new byte[0];

  static Change put(SourceEntry entry) {
    if (entry.dir() && entry.ttl() == 0) {
      return new Change(Type.PUT_IF_ABSENT, entry.key(), NONE, 0);
    }
    return new Change(Type.PUT, entry.key(), entry.value(), entry.ttl());
  }

  static Change overwrite(SourceEntry entry) {
    return new Change(Type.PUT, entry.key(), entry.value(), entry.ttl());
  }

  static Change delete(String key) {
    return new Change(Type.DELETE, key, NONE, 0);
  }

  static Change deleteTree(String key) {
    return new Change(Type.DELETE_TREE, key, NONE, 0);
  }

  static Change directory(String key) {
    return new Change(Type.PUT_IF_ABSENT, key, NONE, 0);
  }

  boolean isWrite() {
    return type == Type.PUT || type == Type.PUT_IF_ABSENT;
  }

  int size() {
    return key.length() * 3 + value.length + (type == Type.PUT_IF_ABSENT ? 48 : 24);
  }

  private long lease(Map<Long, Long> leaseByTtl) {
    Long lease = leaseByTtl.get(ttl);
    if (lease == null) {
      throw new IllegalStateException("no lease granted for TTL " + ttl + " s of '" + key + "'");
    }
    return lease;
  }

  /** The v3 write, with the lease granted for its TTL. */
  V3Write toWrite(Map<Long, Long> leaseByTtl) {
    return switch (type) {
      case PUT -> new V3Write.Put(key, value, ttl == 0 ? 0 : lease(leaseByTtl));
      case PUT_IF_ABSENT -> new V3Write.PutIfAbsent(key);
      case DELETE -> new V3Write.Delete(key);
      case DELETE_TREE -> new V3Write.DeleteTree(key);
    };
  }
}
