package dev.valkeyrie.store;

/**
 * A store's view of its connection to the cluster, in the manner of Apache Curator's. Listen with
 * {@link Store#addConnectionStateListener}.
 */
public enum ConnectionState {
  /** The first request that reached the cluster succeeded. */
  CONNECTED,
  /**
   * A request could not be served by any member (unreachable, timed out, no quorum). Work that
   * needs the cluster, such as acting as a leader, should pause.
   */
  SUSPENDED,
  /** A request succeeded again after {@link #SUSPENDED} or {@link #LOST}. */
  RECONNECTED,
  /**
   * The store has been {@link #SUSPENDED} for longer than the backend's loss timeout: locks held
   * through it have likely expired.
   */
  LOST
}
