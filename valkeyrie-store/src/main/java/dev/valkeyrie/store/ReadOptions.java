package dev.valkeyrie.store;

import java.util.Objects;

/**
 * Options of a read, and of the reads a watch makes. Immutable; build with {@link #builder()}. A
 * {@code null} options argument means {@link #DEFAULT}.
 */
public final class ReadOptions {

  /** Consistent reads; each watch kind's own capacity. */
  public static final ReadOptions DEFAULT = builder().build();

  private final boolean consistent;
  private final int watchCapacity;

  private ReadOptions(Builder builder) {
    this.consistent = builder.consistent;
    this.watchCapacity = builder.watchCapacity;
  }

  /**
   * {@code true} (the default) for a linearizable read that sees every write acknowledged before
   * it; {@code false} lets any member answer from its local, possibly stale, copy, which is faster
   * and still answers when the cluster has lost its quorum.
   */
  public boolean consistent() {
    return consistent;
  }

  /**
   * How many updates a watch keeps for a consumer that falls behind, or 0 for the default of its
   * kind: 1,024 for key watches, 4 for tree snapshots, 65,536 for tree events. A full value or
   * snapshot watch drops its oldest update (the latest supersedes it); a full event watch ends with
   * a {@link WatchOverflowException} instead of dropping an event.
   */
  public int watchCapacity() {
    return watchCapacity;
  }

  /** {@link #watchCapacity()}, or {@code kindDefault} when it was not set. */
  public int watchCapacityOr(int kindDefault) {
    return watchCapacity == 0 ? kindDefault : watchCapacity;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ReadOptions other
        && consistent == other.consistent
        && watchCapacity == other.watchCapacity;
  }

  @Override
  public int hashCode() {
    return Objects.hash(consistent, watchCapacity);
  }

  @Override
  public String toString() {
    return "ReadOptions[consistent="
        + consistent
        + (watchCapacity == 0 ? "" : ", watchCapacity=" + watchCapacity)
        + "]";
  }

  /** Builds {@link ReadOptions}. */
  public static final class Builder {
    private boolean consistent = true;
    private int watchCapacity;

    private Builder() {}

    public Builder consistent(boolean consistent) {
      this.consistent = consistent;
      return this;
    }

    /**
     * How many updates a watch keeps for a consumer that falls behind.
     *
     * @throws IllegalArgumentException if {@code capacity} is below 1
     */
    public Builder watchCapacity(int capacity) {
      if (capacity < 1) {
        throw new IllegalArgumentException("watch capacity must be at least 1: " + capacity);
      }
      this.watchCapacity = capacity;
      return this;
    }

    public ReadOptions build() {
      return new ReadOptions(this);
    }
  }
}
