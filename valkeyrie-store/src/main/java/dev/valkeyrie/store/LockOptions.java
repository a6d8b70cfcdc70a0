package dev.valkeyrie.store;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * Options of a lock. Immutable; build with {@link #builder()}. A {@code null} options argument
 * means {@link #DEFAULT}.
 */
public final class LockOptions {

  /** The default lock TTL. */
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(20);

  /** Empty value, 20 second TTL, key kept on unlock. */
  public static final LockOptions DEFAULT = builder().build();

  private final byte[] value;
  private final Duration ttl;
  private final boolean deleteOnUnlock;

  private LockOptions(Builder builder) {
    this.value = builder.value.clone();
    this.ttl = builder.ttl;
    this.deleteOnUnlock = builder.deleteOnUnlock;
  }

  /**
   * Written under the lock's key while the lock is held (for example the holder's address); empty
   * by default. A copy.
   */
  public byte[] value() {
    return value.clone();
  }

  /**
   * How long the lock survives a holder that stops renewing it (a crashed process); the holder
   * renews it at a fraction of this. Default 20 seconds.
   */
  public Duration ttl() {
    return ttl;
  }

  /** Delete the lock's key and its value when the lock is released or lost. */
  public boolean deleteOnUnlock() {
    return deleteOnUnlock;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LockOptions other
        && deleteOnUnlock == other.deleteOnUnlock
        && ttl.equals(other.ttl)
        && Arrays.equals(value, other.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(value), ttl, deleteOnUnlock);
  }

  @Override
  public String toString() {
    return "LockOptions[value="
        + Values.describe(value)
        + ", ttl="
        + ttl
        + ", deleteOnUnlock="
        + deleteOnUnlock
        + "]";
  }

  /** Builds {@link LockOptions}. */
  public static final class Builder {
    private byte[] value = new byte[0];
    private Duration ttl = DEFAULT_TTL;
    private boolean deleteOnUnlock;

    private Builder() {}

    public Builder value(byte[] value) {
      this.value = Objects.requireNonNull(value, "value").clone();
      return this;
    }

    /**
     * How long the lock survives a holder that stops renewing it.
     *
     * @throws IllegalArgumentException if the TTL is under one second
     */
    public Builder ttl(Duration ttl) {
      Objects.requireNonNull(ttl, "ttl");
      if (ttl.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException("lock ttl must be at least 1 second: " + ttl);
      }
      this.ttl = ttl;
      return this;
    }

    public Builder deleteOnUnlock(boolean deleteOnUnlock) {
      this.deleteOnUnlock = deleteOnUnlock;
      return this;
    }

    public LockOptions build() {
      return new LockOptions(this);
    }
  }
}
