package dev.valkeyrie.etcdv2;

import dev.valkeyrie.store.InvalidKeyException;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * A validated key and its {@code /v2/keys} path.
 *
 * <p>etcd treats the URL path as the key after percent-decoding and path cleaning, so a key must be
 * encoded segment by segment, and keys that cleaning would change (empty, {@code .} or {@code ..}
 * segments) are rejected here: etcd answers them with a redirect and silently drops the write.
 *
 * @param key the normalised key: no leading or trailing {@code /}; {@code ""} for the root
 * @param path the encoded request path, {@code /v2/keys/...}
 */
record KeyPath(String key, String path) {

  /** Lock recipes keep their state in this side key next to the locked key. */
  public static final String LOCK_SUFFIX = "___lock";

  private static final String PREFIX = "/v2/keys/";

  /**
   * etcd's plaintext port resets any request whose request line exceeds 4096 bytes. The longest
   * additions this client makes are the lock suffix (7 bytes) and a query such as a recursive watch
   * with a 20-digit index or a lock renewal with its owner token (under 150 bytes); keep the path
   * well below so every operation on a key that was accepted once works.
   */
  static final int MAX_PATH_BYTES = 3900;

  /** Validates a key that names a node (the root is not allowed). */
  public static KeyPath of(String key) {
    KeyPath path = parse(key, "key");
    if (path.isRoot()) {
      throw new InvalidKeyException("key '" + key + "' names the root; give a non-empty key");
    }
    return path;
  }

  /** Validates a directory name; {@code ""} or {@code "/"} name the root. */
  public static KeyPath directory(String directory) {
    return parse(directory, "directory");
  }

  public boolean isRoot() {
    return key.isEmpty();
  }

  /**
   * The side key of a lock on this key. The suffix needs no encoding, and the path limit leaves
   * room for it, so every accepted key can be locked.
   */
  public KeyPath lockKey() {
    return new KeyPath(key + LOCK_SUFFIX, path + LOCK_SUFFIX);
  }

  /** Whether {@code other} (a normalised key) is this key or below it. */
  public boolean contains(String other) {
    return isRoot() || other.equals(key) || other.startsWith(key + "/");
  }

  /** Turns a key as etcd reports it ({@code /a/b}) into the normalised form ({@code a/b}). */
  public static String fromEtcd(@Nullable String etcdKey) {
    if (etcdKey == null) {
      return "";
    }
    return etcdKey.startsWith("/") ? etcdKey.substring(1) : etcdKey;
  }

  private static KeyPath parse(String raw, String what) {
    if (raw == null) {
      throw new InvalidKeyException(what + " is null");
    }
    String key = raw;
    if (key.startsWith("/")) {
      key = key.substring(1);
    }
    if (key.endsWith("/")) {
      key = key.substring(0, key.length() - 1);
    }
    if (key.isEmpty()) {
      if (raw.length() > 1) {
        throw new InvalidKeyException(what + " '" + raw + "' has an empty segment");
      }
      return new KeyPath("", PREFIX);
    }
    if (key.isBlank()) {
      throw new InvalidKeyException(what + " '" + raw + "' is blank");
    }
    if (isPlain(key)) {
      return new KeyPath(key, PREFIX + key); // the common case: nothing to encode or refuse
    }
    StringBuilder path = new StringBuilder(PREFIX.length() + key.length() * 2).append(PREFIX);
    int start = 0;
    while (true) {
      int end = key.indexOf('/', start);
      String segment = end < 0 ? key.substring(start) : key.substring(start, end);
      checkSegment(raw, what, segment);
      PercentEncoding.appendEncoded(path, segment.getBytes(StandardCharsets.UTF_8));
      if (end < 0) {
        break;
      }
      path.append('/');
      start = end + 1;
    }
    if (path.length() > MAX_PATH_BYTES) {
      throw new InvalidKeyException(
          what
              + " '"
              + abbreviate(raw)
              + "' is too long: its encoded path has "
              + path.length()
              + " bytes, over the "
              + MAX_PATH_BYTES
              + " that fit etcd's 4096-byte request line");
    }
    return new KeyPath(key, path.toString());
  }

  /**
   * Whether the key needs no encoding and passes every check as it is: only unreserved ASCII
   * characters, no empty, {@code .} or {@code ..} segment, short enough.
   */
  private static boolean isPlain(String key) {
    if (PREFIX.length() + key.length() > MAX_PATH_BYTES) {
      return false;
    }
    int segmentStart = 0;
    for (int i = 0; i <= key.length(); i++) {
      char c = i < key.length() ? key.charAt(i) : '/';
      if (c == '/') {
        int length = i - segmentStart;
        if (length == 0
            || (length <= 2 && key.startsWith(length == 1 ? "." : "..", segmentStart))) {
          return false;
        }
        segmentStart = i + 1;
      } else if (c >= 0x80 || !PercentEncoding.isUnreserved(c)) {
        return false;
      }
    }
    return true;
  }

  private static void checkSegment(String raw, String what, String segment) {
    if (segment.isEmpty()) {
      throw new InvalidKeyException(what + " '" + raw + "' has an empty segment ('//')");
    }
    if (segment.equals(".") || segment.equals("..")) {
      throw new InvalidKeyException(
          what + " '" + raw + "' has a '" + segment + "' segment; etcd would redirect and drop it");
    }
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        throw new InvalidKeyException(
            what
                + " '"
                + abbreviate(raw)
                + "' contains the control character U+"
                + String.format("%04X", (int) c));
      }
      if (Character.isSurrogate(c)
          && !(Character.isHighSurrogate(c)
              && i + 1 < segment.length()
              && Character.isLowSurrogate(segment.charAt(++i)))) {
        throw new InvalidKeyException(
            what + " '" + abbreviate(raw) + "' contains an unpaired surrogate; not valid Unicode");
      }
    }
  }

  private static String abbreviate(String raw) {
    return raw.length() <= 80 ? raw : raw.substring(0, 80) + "...(" + raw.length() + " chars)";
  }
}
