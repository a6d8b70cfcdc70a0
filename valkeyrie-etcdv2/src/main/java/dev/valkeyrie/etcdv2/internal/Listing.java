package dev.valkeyrie.etcdv2.internal;

import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.KeyEvent;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.Map;

/** Turns etcd nodes into {@link KVPair}s, the way {@code list()} presents them. */
final class Listing {
  private static final byte[] EMPTY = new byte[0];

  /**
   * Orders keys by Unicode code point, which is the byte order of their UTF-8 form: the order
   * etcd's {@code sorted=true} uses.
   */
  static final Comparator<String> KEY_ORDER =
      (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
          int ca = a.codePointAt(i);
          int cb = b.codePointAt(j);
          if (ca != cb) {
            return Integer.compare(ca, cb);
          }
          i += Character.charCount(ca);
          j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
      };

  private Listing() {}

  /** Adds every entry below {@code directory} to {@code into}, skipping lock side keys. */
  static void flatten(EtcdNode directory, Map<String, KVPair> into) {
    for (EtcdNode child : directory.nodes()) {
      String key = child.normalizedKey();
      if (isLockKey(key)) {
        continue;
      }
      into.put(key, pair(key, child));
      if (child.dir()) {
        flatten(child, into);
      }
    }
  }

  static KVPair pair(String key, EtcdNode node) {
    return new KVPair(key, bytes(node.value()), node.modifiedIndex());
  }

  static byte[] bytes(String value) {
    return value == null ? EMPTY : value.getBytes(StandardCharsets.UTF_8);
  }

  static boolean isLockKey(String key) {
    return key.endsWith(KeyPath.LOCK_SUFFIX);
  }

  static KeyEvent.Kind removalKind(String action) {
    return action.equals("expire") ? KeyEvent.Kind.EXPIRED : KeyEvent.Kind.DELETED;
  }

  static boolean isRemoval(String action) {
    return action.equals("delete") || action.equals("compareAndDelete")
        || action.equals("expire");
  }
}
