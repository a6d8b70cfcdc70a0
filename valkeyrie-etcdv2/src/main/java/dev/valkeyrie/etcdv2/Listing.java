package dev.valkeyrie.etcdv2;

import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.KeyEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Turns etcd nodes into {@link KVPair}s, the way {@code list()} presents them. */
final class Listing {
  private static final byte[] EMPTY = new byte[0];

  /**
   * Orders keys by Unicode code point, which is the byte order of their UTF-8 form: the order
   * etcd's {@code sorted=true} uses. UTF-16 order agrees except where a surrogate (a code point
   * above U+FFFF) meets a character from U+E000 up, so only that case needs care.
   */
  static final Comparator<String> KEY_ORDER =
      (a, b) -> {
        int length = Math.min(a.length(), b.length());
        for (int i = 0; i < length; i++) {
          char x = a.charAt(i);
          char y = b.charAt(i);
          if (x != y) {
            boolean xs = Character.isSurrogate(x);
            return xs == Character.isSurrogate(y) ? x - y : (xs ? 1 : -1);
          }
        }
        return a.length() - b.length();
      };

  private Listing() {}

  /**
   * A listing's entries ({@link EtcdResponse#entries}) sorted by key, unmodifiable. etcd sorts each
   * level, so this sort only moves a directory's children past siblings such as {@code a-b} after
   * {@code a}; on a flat directory it is one pass.
   */
  static List<KVPair> sorted(List<KVPair> entries) {
    List<KVPair> sorted = new ArrayList<>(entries);
    sorted.sort((x, y) -> KEY_ORDER.compare(x.key(), y.key()));
    return Collections.unmodifiableList(sorted);
  }

  static KVPair pair(String key, EtcdNode node) {
    return new KVPair(key, bytes(node.value()), node.modifiedIndex());
  }

  static byte[] bytes(@Nullable String value) {
    return value == null ? EMPTY : value.getBytes(StandardCharsets.UTF_8);
  }

  static boolean isLockKey(String key) {
    return key.endsWith(KeyPath.LOCK_SUFFIX);
  }

  static KeyEvent.Kind removalKind(String action) {
    return action.equals("expire") ? KeyEvent.Kind.EXPIRED : KeyEvent.Kind.DELETED;
  }

  static boolean isRemoval(String action) {
    return action.equals("delete") || action.equals("compareAndDelete") || action.equals("expire");
  }
}
