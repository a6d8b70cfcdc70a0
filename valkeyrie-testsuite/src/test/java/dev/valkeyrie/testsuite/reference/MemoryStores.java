package dev.valkeyrie.testsuite.reference;

import dev.valkeyrie.store.Store;
import dev.valkeyrie.testsuite.BackendTraits;

/** Opens reference stores for tests outside this package. */
public final class MemoryStores {

  /**
   * What the reference store declares: etcd v2's directory model (keys and directories
   * distinct, listings with the directories between keys), values of any bytes, no minimum TTL.
   */
  public static final BackendTraits TRAITS = BackendTraits.builder()
      .keysAndDirectoriesDistinct(true)
      .listIncludesImplicitDirectories(true)
      .valuesAnyBytes(true)
      .build();

  private MemoryStores() {}

  /**
   * A new client of the one in-memory server every reference test shares, as a backend's stores
   * share one cluster: linearizable, since every call runs under the server's monitor.
   */
  public static Store connectShared() {
    return MemoryServer.SHARED.connect();
  }
}
