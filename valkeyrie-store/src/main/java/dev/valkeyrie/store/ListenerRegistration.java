package dev.valkeyrie.store;

/**
 * A registered listener. Closing it removes the listener: no call starts after {@code close()}
 * returns (a call already running on the listener's executor may still finish). Idempotent.
 */
@FunctionalInterface
public interface ListenerRegistration extends AutoCloseable {

  /** Removes the listener. */
  @Override
  void close();
}
