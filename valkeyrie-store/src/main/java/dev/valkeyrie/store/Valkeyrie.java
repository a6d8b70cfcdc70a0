package dev.valkeyrie.store;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** Entry point: opens a store by backend name. */
public final class Valkeyrie {

  private Valkeyrie() {}

  /**
   * Opens a store with the named backend.
   *
   * @param config backend-specific configuration, {@code null} for the defaults
   * @throws UnknownBackendException if no backend of that name is on the class path
   * @throws InvalidConfigurationException if the endpoints or the configuration are unusable
   */
  public static Store newStore(
      String backend, List<String> endpoints, @Nullable StoreConfig config) {
    if (backend == null) {
      throw new UnknownBackendException("backend name is null; available: " + backends());
    }
    StoreProvider provider = providers().get(backend);
    if (provider == null) {
      throw new UnknownBackendException(
          "no backend named '" + backend + "' on the class path; available: " + backends());
    }
    if (endpoints == null || endpoints.isEmpty()) {
      throw new InvalidConfigurationException("no endpoints given for backend '" + backend + "'");
    }
    return provider.newStore(List.copyOf(endpoints), config);
  }

  /** The names of the backends on the class path, sorted. */
  public static List<String> backends() {
    return List.copyOf(providers().keySet());
  }

  private static Map<String, StoreProvider> providers() {
    Map<String, StoreProvider> byName = new TreeMap<>();
    for (StoreProvider provider : ServiceLoader.load(StoreProvider.class, classLoader())) {
      byName.putIfAbsent(provider.name(), provider);
    }
    return byName;
  }

  private static ClassLoader classLoader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : Valkeyrie.class.getClassLoader();
  }
}
