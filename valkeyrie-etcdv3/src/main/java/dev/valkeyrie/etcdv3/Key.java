package dev.valkeyrie.etcdv3;

import com.google.protobuf.ByteString;
import dev.valkeyrie.store.InvalidKeyException;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * A validated key or directory, and the bytes etcd stores it as.
 *
 * <p>The rules that belong to the contract, and none of v2's HTTP-encoding rules: {@code null},
 * empty and blank keys, empty ({@code //}), {@code .} and {@code ..} segments, control characters
 * and unpaired surrogates are refused with {@link InvalidKeyException}; one leading and one
 * trailing {@code /} are ignored; everything else (spaces, {@code %}, {@code ?}, {@code #}, any
 * Unicode) is stored as its UTF-8 bytes, without the leading {@code /} (as Go valkeyrie's etcdv3
 * backend stores keys).
 *
 * <p>A directory {@code d} is the key {@code d} plus the keys in {@code [d/, d0)}; the root ({@code
 * ""} or {@code "/"}, directories only) is every key.
 *
 * @param name the normalised key: no leading or trailing {@code /}; {@code ""} for the root
 * @param bytes its UTF-8 bytes, as stored in etcd
 */
record Key(String name, ByteString bytes) {

  /** Lock recipes keep their state below this side key next to the locked key. */
  static final String LOCK_SUFFIX = "___lock";

  private static final ByteString ALL = ByteString.copyFrom(new byte[] {0});

  /** Validates a key that names a single key (not the root). */
  static Key of(@Nullable String raw) {
    Key key = parse(raw, "key");
    if (key.isRoot()) {
      throw new InvalidKeyException("key '" + raw + "' names the root; give a non-empty key");
    }
    return key;
  }

  /** Validates a directory name; {@code ""} and {@code "/"} name the root. */
  static Key directory(@Nullable String raw) {
    return parse(raw, "directory");
  }

  /** The key as etcd returned it. */
  static String nameOf(ByteString etcdKey) {
    return etcdKey.toStringUtf8();
  }

  boolean isRoot() {
    return name.isEmpty();
  }

  /** Where this directory's entries begin: {@code d/}, or the first key for the root. */
  ByteString childrenStart() {
    return isRoot() ? ALL : bytes.concat(ByteString.copyFromUtf8("/"));
  }

  /** Where they end, exclusive: {@code d0} ({@code /} + 1), or "every key" for the root. */
  ByteString childrenEnd() {
    return isRoot() ? ALL : bytes.concat(ByteString.copyFromUtf8("0"));
  }

  /** The side key below which a lock on this key lives: {@code k___lock}. */
  Key lockKey() {
    return new Key(name + LOCK_SUFFIX, bytes.concat(ByteString.copyFromUtf8(LOCK_SUFFIX)));
  }

  /** Whether {@code other} (a normalised key) is this key or below it. */
  boolean contains(String other) {
    return isRoot() || other.equals(name) || other.startsWith(name + "/");
  }

  /** Whether a key is a lock's side key ({@code .../k___lock/...}), never listed. */
  static boolean isLockSideKey(String name) {
    return name.contains(LOCK_SUFFIX + "/");
  }

  /** The end of the range of every key starting with {@code prefix} (etcd's prefix rule). */
  static ByteString prefixEnd(ByteString prefix) {
    byte[] end = prefix.toByteArray();
    for (int i = end.length - 1; i >= 0; i--) {
      if (end[i] != (byte) 0xff) {
        end[i]++;
        return ByteString.copyFrom(end, 0, i + 1);
      }
    }
    return ALL; // all 0xff: every key after it
  }

  private static Key parse(@Nullable String raw, String what) {
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
      return new Key("", ByteString.EMPTY);
    }
    if (key.isBlank()) {
      throw new InvalidKeyException(what + " '" + raw + "' is blank");
    }
    int start = 0;
    while (true) {
      int end = key.indexOf('/', start);
      String segment = end < 0 ? key.substring(start) : key.substring(start, end);
      checkSegment(raw, what, segment);
      if (end < 0) {
        break;
      }
      start = end + 1;
    }
    return new Key(key, ByteString.copyFrom(key, StandardCharsets.UTF_8));
  }

  private static void checkSegment(String raw, String what, String segment) {
    if (segment.isEmpty()) {
      throw new InvalidKeyException(
          what + " '" + abbreviate(raw) + "' has an empty segment ('//')");
    }
    if (segment.equals(".") || segment.equals("..")) {
      throw new InvalidKeyException(
          what
              + " '"
              + abbreviate(raw)
              + "' has a '"
              + segment
              + "' segment; paths with them would name other keys");
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
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c)
            && i + 1 < segment.length()
            && Character.isLowSurrogate(segment.charAt(i + 1))) {
          i++;
        } else {
          throw new InvalidKeyException(
              what
                  + " '"
                  + abbreviate(raw)
                  + "' contains an unpaired surrogate; not valid Unicode");
        }
      }
    }
  }

  static String abbreviate(String raw) {
    return raw.length() <= 80 ? raw : raw.substring(0, 80) + "...(" + raw.length() + " chars)";
  }

  @Override
  public String toString() {
    return name;
  }
}
