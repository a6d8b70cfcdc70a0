package dev.valkeyrie.store.recipes;

import dev.valkeyrie.store.Lease;
import java.util.Optional;

/** Hears about an election. Every method has an empty default; implement what you need. */
public interface LeadershipListener {

  /** This candidate became the leader, holding {@code lease}. */
  default void elected(Lease lease) {}

  /**
   * This candidate is no longer the leader: it resigned, its lease ended (expired, renewal failed,
   * store closed), or the election was closed. Stop acting as leader.
   */
  default void revoked() {}

  /** The election's leader changed: the new leader's name, or empty while nobody leads. */
  default void leaderChanged(Optional<String> leader) {}
}
