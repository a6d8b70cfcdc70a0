package dev.valkeyrie.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A key, its value and the store index at which the value was last modified.
 *
 * <p>The value is never {@code null}: a directory or an empty key has an empty value. The array is
 * copied on the way in and on the way out, so a pair is immutable. Equality, hash code and {@link
 * #toString()} are by content.
 *
 * @param key the key, without a leading {@code /}
 * @param value the value's bytes
 * @param lastIndex the store's index of the last modification; compare-and-swap conditions use it
 */
// The array is copied on the way in and on the way out, and equality is by content; the compact
// constructor replaces a null value with an empty one, so the field is never null.
@SuppressWarnings({"ArrayRecordComponent", "NullAway"})
public record KVPair(String key, byte @Nullable [] value, long lastIndex) {

  public KVPair {
    Objects.requireNonNull(key, "key");
    value = value == null ? new byte[0] : value.clone();
  }

  /** A copy of the value's bytes. */
  @Override
  public byte[] value() {
    return value.clone();
  }

  /** The value decoded as UTF-8. */
  public String valueAsString() {
    return new String(value, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KVPair other
        && lastIndex == other.lastIndex
        && key.equals(other.key)
        && Arrays.equals(value, other.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, Arrays.hashCode(value), lastIndex);
  }

  @Override
  public String toString() {
    return "KVPair[key="
        + key
        + ", value="
        + Values.describe(value)
        + ", lastIndex="
        + lastIndex
        + "]";
  }
}
