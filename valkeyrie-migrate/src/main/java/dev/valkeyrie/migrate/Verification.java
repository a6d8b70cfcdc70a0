package dev.valkeyrie.migrate;

import java.util.List;

/**
 * What {@link Migration#verify()} found.
 *
 * @param index the v2 index the comparison read v2 at
 * @param revision the v3 revision it read v3 at
 * @param keysCompared the keys (and directories) in v2's tree and in v3's target range together
 * @param differences every key the two sides disagree on, sorted by key
 */
public record Verification(
    long index, long revision, long keysCompared, List<Difference> differences) {

  public Verification {
    differences = List.copyOf(differences);
  }

  /** Whether both sides hold the same keys, values and TTL keys. */
  public boolean matches() {
    return differences.isEmpty();
  }
}
