package dev.valkeyrie.etcdv2.internal;

import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.KeyEvent;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

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
  static void flatten(EtcdNode directory, Consumer<KVPair> into) {
    for (EtcdNode child : directory.nodes()) {
      String key = child.normalizedKey();
      if (isLockKey(key)) {
        continue;
      }
      into.accept(pair(key, child));
      if (child.dir()) {
        flatten(child, into);
      }
    }
  }

  /**
   * Every entry below {@code directory}, sorted by key. etcd already sorts each level, so the
   * one sort only moves a directory's children past siblings such as {@code a-b} after {@code a}.
   */
  static List<KVPair> sorted(EtcdNode directory) {
    List<KVPair> entries = new ArrayList<>();
    flatten(directory, entries::add);
    entries.sort((x, y) -> KEY_ORDER.compare(x.key(), y.key()));
    return Collections.unmodifiableList(entries);
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
