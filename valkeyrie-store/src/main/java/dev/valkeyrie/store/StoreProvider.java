package dev.valkeyrie.store;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A backend, found with {@link java.util.ServiceLoader}. Implementations are registered in {@code
 * META-INF/services/dev.valkeyrie.store.StoreProvider}.
 */
public interface StoreProvider {

  /** The backend's name, as given to {@link Valkeyrie#newStore}. */
  String name();

  /**
   * Opens a store.
   *
   * @param config {@code null} for the defaults
   * @throws InvalidConfigurationException if the endpoints or the configuration are unusable
   */
  Store newStore(List<String> endpoints, @Nullable StoreConfig config);
}
