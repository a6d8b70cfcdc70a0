package dev.valkeyrie.store;

import java.time.Duration;
import java.util.Objects;

/**
 * Options of a write. Immutable; build with {@link #builder()}. A {@code null} options argument
 * means {@link #DEFAULT}.
 *
 * @param isDir create a directory rather than a key (etcd v2 distinguishes the two: see the
 *     README's pitfalls); the value is then ignored
 * @param ttl time to live, {@link Duration#ZERO} for none; backends with whole-second TTLs round
 *     up
 * @param keepAlive keep a key with a TTL alive for as long as the store stays open, so that it
 *     disappears only when its writer goes away (service registration)
 */
public record WriteOptions(boolean isDir, Duration ttl, boolean keepAlive) {

  /** No directory, no TTL, no keep-alive. */
  public static final WriteOptions DEFAULT = new WriteOptions(false, Duration.ZERO, false);

  public WriteOptions {
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.isNegative()) {
      throw new IllegalArgumentException("ttl must not be negative: " + ttl);
    }
    if (keepAlive && ttl.isZero()) {
      throw new IllegalArgumentException("keepAlive needs a ttl");
    }
  }

  /** Whether a TTL is set. */
  public boolean hasTtl() {
    return !ttl.isZero();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link WriteOptions}. */
  public static final class Builder {
    private boolean isDir;
    private Duration ttl = Duration.ZERO;
    private boolean keepAlive;

    private Builder() {}

    public Builder isDir(boolean isDir) {
      this.isDir = isDir;
      return this;
    }

    public Builder ttl(Duration ttl) {
      this.ttl = Objects.requireNonNull(ttl, "ttl");
      return this;
    }

    public Builder keepAlive(boolean keepAlive) {
      this.keepAlive = keepAlive;
      return this;
    }

    /**
     * @throws IllegalArgumentException if the TTL is negative, or keep-alive is asked without a
     *     TTL
     */
    public WriteOptions build() {
      return new WriteOptions(isDir, ttl, keepAlive);
    }
  }
}
