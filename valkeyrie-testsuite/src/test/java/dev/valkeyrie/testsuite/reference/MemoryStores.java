package dev.valkeyrie.testsuite.reference;

import dev.valkeyrie.store.Store;

/** Opens reference stores for tests outside this package. */
public final class MemoryStores {

  private MemoryStores() {}

  /**
   * A new client of the one in-memory server every reference test shares, as a backend's stores
   * share one cluster: linearizable, since every call runs under the server's monitor.
   */
  public static Store connectShared() {
    return MemoryServer.SHARED.connect();
  }
}
