package dev.valkeyrie.store;

import java.util.Objects;

/**
 * One change of one key, as delivered by {@link Store#watchEvents} and {@link
 * Store#watchTreeEvents}.
 *
 * @param kind what happened
 * @param pair the key and its value after the change; for {@link Kind#DELETED} and {@link
 *     Kind#EXPIRED} the value is empty and {@code lastIndex} is the index of the removal
 */
public record KeyEvent(Kind kind, KVPair pair) {

  /** What happened to the key. */
  public enum Kind {
    /**
     * The key's state as read when the watch started, or after the watch had to read the state
     * again (it fell behind the store's event history). Not necessarily a change.
     */
    CURRENT,
    /** The key was created. */
    CREATED,
    /** The key's value was replaced. */
    MODIFIED,
    /** The key was deleted (by itself, or with a directory above it). */
    DELETED,
    /** The key's time to live ran out (or that of a directory above it). */
    EXPIRED
  }

  public KeyEvent {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(pair, "pair");
  }

  /** The key. */
  public String key() {
    return pair.key();
  }

  /** Whether the key is gone after this event ({@link Kind#DELETED} or {@link Kind#EXPIRED}). */
  public boolean isRemoval() {
    return kind == Kind.DELETED || kind == Kind.EXPIRED;
  }
}
