package dev.valkeyrie.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class ValkeyrieTest {

  @TempDir Path services;

  // ---- without any backend on the class path (the store module has none) ----

  @Test
  void backendsIsEmptyWhenNoBackendIsOnTheClassPath() {
    assertThat(Valkeyrie.backends()).isEmpty();
  }

  @Test
  void unknownBackendIsRejectedWithAMessageListingTheAvailableBackends() {
    assertThatThrownBy(() -> Valkeyrie.newStore("nope", List.of("127.0.0.1:2379"), null))
        .isInstanceOf(UnknownBackendException.class)
        .hasMessageContaining("'nope'")
        .hasMessageContaining("available: []");
  }

  @Test
  void nullBackendIsAnUnknownBackend() {
    assertThatThrownBy(() -> Valkeyrie.newStore(null, List.of("127.0.0.1:2379"), null))
        .isInstanceOf(UnknownBackendException.class)
        .hasMessageContaining("available");
  }

  @Test
  void nullEndpointsAreAnInvalidConfiguration() {
    assertThatThrownBy(
            () -> withBackends(() -> Valkeyrie.newStore("mid", null, null), MidProvider.class))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("mid");
  }

  @Test
  void emptyEndpointsAreAnInvalidConfiguration() {
    assertThatThrownBy(
            () -> withBackends(() -> Valkeyrie.newStore("mid", List.of(), null), MidProvider.class))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("no endpoints");
  }

  // ---- with test backends registered through a service file ----

  @Test
  void backendsAreSortedByName() throws Exception {
    List<String> names =
        withBackends(
            Valkeyrie::backends, ZetaProvider.class, AlphaProvider.class, MidProvider.class);

    assertThat(names).containsExactly("alpha", "mid", "zeta");
  }

  @Test
  void unknownBackendMessageListsEveryAvailableBackendSorted() {
    assertThatThrownBy(
            () ->
                withBackends(
                    () -> Valkeyrie.newStore("etcd3", List.of("h:1"), null),
                    ZetaProvider.class,
                    AlphaProvider.class))
        .isInstanceOf(UnknownBackendException.class)
        .hasMessageContaining("'etcd3'")
        .hasMessageContaining("[alpha, zeta]");
  }

  @Test
  void newStoreOpensTheNamedBackendWithTheGivenEndpointsAndConfig() throws Exception {
    StoreConfig config = new StoreConfig() {};
    List<String> endpoints = List.of("h1:1", "h2:2");

    Store store =
        withBackends(
            () -> Valkeyrie.newStore("mid", endpoints, config),
            AlphaProvider.class,
            MidProvider.class);

    assertThat(store.toString()).isEqualTo("mid store");
    assertThat(MidProvider.lastEndpoints).containsExactly("h1:1", "h2:2");
    assertThat(MidProvider.lastConfig).isSameAs(config);
  }

  @Test
  void theBackendGetsAnUnmodifiableCopyOfTheEndpoints() throws Exception {
    List<String> endpoints = new ArrayList<>(List.of("h1:1"));

    withBackends(() -> Valkeyrie.newStore("mid", endpoints, null), MidProvider.class);
    endpoints.add("h2:2");

    assertThat(MidProvider.lastEndpoints).containsExactly("h1:1");
    assertThatThrownBy(() -> MidProvider.lastEndpoints.add("x"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  /** Runs {@code action} with a context class loader that registers {@code providers}. */
  @SafeVarargs
  private <T> T withBackends(Callable<T> action, Class<? extends StoreProvider>... providers)
      throws Exception {
    Path file = services.resolve("META-INF/services/" + StoreProvider.class.getName());
    Files.createDirectories(file.getParent());
    StringBuilder lines = new StringBuilder();
    for (Class<? extends StoreProvider> provider : providers) {
      lines.append(provider.getName()).append('\n');
    }
    Files.writeString(file, lines);
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {services.toUri().toURL()}, getClass().getClassLoader())) {
      thread.setContextClassLoader(loader);
      return action.call();
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  private static Store fakeStore(String name) {
    return (Store)
        Proxy.newProxyInstance(
            Store.class.getClassLoader(),
            new Class<?>[] {Store.class},
            (proxy, method, args) -> {
              if (method.getName().equals("toString")) {
                return name + " store";
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }

  public static final class AlphaProvider implements StoreProvider {
    @Override
    public String name() {
      return "alpha";
    }

    @Override
    public Store newStore(List<String> endpoints, StoreConfig config) {
      return fakeStore("alpha");
    }
  }

  public static final class MidProvider implements StoreProvider {
    static volatile List<String> lastEndpoints;
    static volatile StoreConfig lastConfig;

    @Override
    public String name() {
      return "mid";
    }

    @Override
    public Store newStore(List<String> endpoints, StoreConfig config) {
      lastEndpoints = endpoints;
      lastConfig = config;
      return fakeStore("mid");
    }
  }

  public static final class ZetaProvider implements StoreProvider {
    @Override
    public String name() {
      return "zeta";
    }

    @Override
    public Store newStore(List<String> endpoints, StoreConfig config) {
      return fakeStore("zeta");
    }
  }
}
