package dev.valkeyrie.store;

/** Hears a store's {@link ConnectionState} changes; each state is reported once when entered. */
@FunctionalInterface
public interface ConnectionStateListener {
  void stateChanged(ConnectionState state);
}
