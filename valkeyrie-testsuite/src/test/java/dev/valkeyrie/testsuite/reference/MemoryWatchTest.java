package dev.valkeyrie.testsuite.reference;

import dev.valkeyrie.store.Store;
import dev.valkeyrie.testsuite.BackendTraits;
import dev.valkeyrie.testsuite.WatchContract;

/** Runs {@link WatchContract} against the in-memory reference store. */
class MemoryWatchTest extends WatchContract {
  @Override
  protected BackendTraits traits() {
    return MemoryStores.TRAITS;
  }

  @Override
  protected Store newStore() {
    return MemoryServer.SHARED.connect();
  }
}
