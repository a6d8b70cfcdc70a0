package dev.valkeyrie.cli;

import dev.valkeyrie.store.Store;
import dev.valkeyrie.store.StoreConfig;
import dev.valkeyrie.store.Valkeyrie;
import java.io.PrintStream;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The store a command works on (on the settings' backend), and the throwaway local etcd behind it
 * when no endpoint was given. Closing it closes the store (releasing held locks) and then stops
 * that etcd.
 */
final class StoreSession implements AutoCloseable {
  private final Backend backend;
  private final Store store;
  private final @Nullable EmbeddedEtcd etcd; // null on given endpoints
  private final List<String> endpoints;

  private StoreSession(
      Backend backend, Store store, @Nullable EmbeddedEtcd etcd, List<String> endpoints) {
    this.backend = backend;
    this.store = store;
    this.etcd = etcd;
    this.endpoints = endpoints;
  }

  /**
   * Opens the store of {@code settings}, first starting a local etcd if no endpoint is given.
   *
   * @param announce print a line on {@code err} when a local etcd is started
   */
  static StoreSession open(Settings settings, PrintStream err, boolean announce) {
    StoreConfig config = settings.config(); // bad TLS files fail here, before etcd is started
    Backend backend = settings.backend();
    if (!settings.embedded()) {
      return new StoreSession(
          backend,
          Valkeyrie.newStore(backend.storeName(), settings.endpoints(), config),
          null,
          settings.endpoints());
    }
    EmbeddedEtcd etcd = EmbeddedEtcd.start();
    try {
      List<String> endpoints = etcd.endpoints();
      if (announce) {
        err.println(
            "valkeyrie: no endpoint given (--endpoints or "
                + Settings.ENDPOINTS_ENV
                + "): using a throwaway local etcd at "
                + String.join(",", endpoints)
                + ", removed on exit");
        err.flush();
      }
      return new StoreSession(
          backend, Valkeyrie.newStore(backend.storeName(), endpoints, config), etcd, endpoints);
    } catch (RuntimeException | Error e) {
      etcd.close();
      throw e;
    }
  }

  Store store() {
    return store;
  }

  /** Whether the store is a throwaway local etcd started for this command. */
  boolean embedded() {
    return etcd != null;
  }

  List<String> endpoints() {
    return endpoints;
  }

  Backend backend() {
    return backend;
  }

  @Override
  public void close() {
    try {
      store.close();
    } finally {
      if (etcd != null) {
        etcd.close();
      }
    }
  }
}
