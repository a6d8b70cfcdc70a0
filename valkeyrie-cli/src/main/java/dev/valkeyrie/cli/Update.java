package dev.valkeyrie.cli;

import dev.valkeyrie.store.KVPair;
import java.util.Locale;

/**
 * One line of {@code watch} and {@code watch-tree} output.
 *
 * @param kind what happened
 * @param pair the key, its value (empty after a removal) and the index of the change
 */
record Update(Kind kind, KVPair pair) {

  /** What happened to the key; printed in lower case. */
  enum Kind {
    /** The state when the watch started (or when it had to read the state again). */
    CURRENT,
    /** The key was created. */
    CREATE,
    /** The key's value was replaced. */
    MODIFY,
    /** The key was deleted, by itself or with a directory above it. */
    DELETE,
    /** The key's time to live ran out (or that of a directory above it). */
    EXPIRE;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    boolean isRemoval() {
      return this == DELETE || this == EXPIRE;
    }
  }
}
