package dev.valkeyrie.store;

import java.time.Duration;
import java.util.Objects;

/**
 * Options of a write. Immutable; build with {@link #builder()}. A {@code null} options argument
 * means {@link #DEFAULT}.
 */
public final class WriteOptions {

  /** No directory, no TTL, no keep-alive. */
  public static final WriteOptions DEFAULT = builder().build();

  private final boolean isDir;
  private final Duration ttl;
  private final boolean keepAlive;

  private WriteOptions(Builder builder) {
    this.isDir = builder.isDir;
    this.ttl = builder.ttl;
    this.keepAlive = builder.keepAlive;
  }

  /**
   * Create a directory rather than a key (etcd v2 distinguishes the two: see the README's
   * pitfalls); the value is then ignored.
   */
  public boolean isDir() {
    return isDir;
  }

  /**
   * Time to live, {@link Duration#ZERO} for none. Backends with whole-second TTLs round up, and a
   * backend may have a minimum (etcd v3: 2 seconds).
   */
  public Duration ttl() {
    return ttl;
  }

  /**
   * Keep a key with a TTL alive for as long as the store stays open, so that it disappears only
   * when its writer goes away (service registration).
   */
  public boolean keepAlive() {
    return keepAlive;
  }

  /** Whether a TTL is set. */
  public boolean hasTtl() {
    return !ttl.isZero();
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WriteOptions other
        && isDir == other.isDir
        && keepAlive == other.keepAlive
        && ttl.equals(other.ttl);
  }

  @Override
  public int hashCode() {
    return Objects.hash(isDir, ttl, keepAlive);
  }

  @Override
  public String toString() {
    return "WriteOptions[isDir=" + isDir + ", ttl=" + ttl + ", keepAlive=" + keepAlive + "]";
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

    /**
     * The key's time to live; zero (the default) for a key that never expires.
     *
     * @throws IllegalArgumentException if {@code ttl} is negative
     */
    public Builder ttl(Duration ttl) {
      Objects.requireNonNull(ttl, "ttl");
      if (ttl.isNegative()) {
        throw new IllegalArgumentException("ttl must not be negative: " + ttl);
      }
      this.ttl = ttl;
      return this;
    }

    public Builder keepAlive(boolean keepAlive) {
      this.keepAlive = keepAlive;
      return this;
    }

    /**
     * Returns the options.
     *
     * @throws IllegalArgumentException if keep-alive is asked without a TTL
     */
    public WriteOptions build() {
      if (keepAlive && ttl.isZero()) {
        throw new IllegalArgumentException("keepAlive needs a ttl");
      }
      return new WriteOptions(this);
    }
  }
}
