package dev.valkeyrie.store;

/**
 * Options of a read. Immutable; build with {@link #builder()}. A {@code null} options argument
 * means {@link #DEFAULT}.
 *
 * @param consistent {@code true} (the default) for a linearizable read that sees every write
 *     acknowledged before it; {@code false} lets any member answer from its local, possibly stale,
 *     copy, which is faster and still answers when the cluster has lost its quorum
 */
public record ReadOptions(boolean consistent) {

  /** Consistent reads. */
  public static final ReadOptions DEFAULT = new ReadOptions(true);

  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link ReadOptions}. */
  public static final class Builder {
    private boolean consistent = true;

    private Builder() {}

    public Builder consistent(boolean consistent) {
      this.consistent = consistent;
      return this;
    }

    public ReadOptions build() {
      return new ReadOptions(consistent);
    }
  }
}
