package dev.valkeyrie.migrate;

/**
 * One key on which v2 and v3 disagree.
 *
 * @param key the key's name (as both backends read it)
 * @param kind how they disagree
 * @param detail what each side holds, briefly (never a value's bytes beyond their size)
 */
public record Difference(String key, Kind kind, String detail) {

  /** How the two sides disagree on a key. */
  public enum Kind {
    /** In v2, not in v3. */
    MISSING_IN_TARGET,
    /** In v3 (in the target range), not in v2. */
    EXTRA_IN_TARGET,
    /** In both, with different values (a v2 directory is the empty value in v3). */
    VALUE_DIFFERS,
    /** In both, but only one side has a TTL. */
    TTL_DIFFERS,
    /** In v2, but it cannot be written to v3 (its name or size), so it was not copied. */
    NOT_COPYABLE
  }
}
