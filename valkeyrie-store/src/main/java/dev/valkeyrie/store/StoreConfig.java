package dev.valkeyrie.store;

/**
 * Backend-specific configuration, passed to {@link Valkeyrie#newStore}. Each backend defines its
 * own implementation; {@code null} means the backend's defaults.
 */
public interface StoreConfig {}
