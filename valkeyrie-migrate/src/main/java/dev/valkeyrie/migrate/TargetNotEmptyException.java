package dev.valkeyrie.migrate;

import dev.valkeyrie.store.StoreException;
import java.util.List;

/**
 * The target range in v3 holds keys this migration did not write: nothing was written. Empty the
 * range, choose another prefix, or let the migration merge ({@code Builder.merge(true)}).
 */
public final class TargetNotEmptyException extends StoreException {
  private static final long serialVersionUID = 1L;

  private final long count;
  private final List<String> examples;

  TargetNotEmptyException(String target, long count, List<String> examples) {
    super(
        "the v3 target "
            + target
            + " holds "
            + count
            + " key(s) this migration did not write (for example '"
            + String.join("', '", examples)
            + "'); nothing was written; empty it, or merge");
    this.count = count;
    this.examples = List.copyOf(examples);
  }

  /** How many such keys. */
  public long count() {
    return count;
  }

  /** A few of them. */
  public List<String> examples() {
    return examples;
  }
}
