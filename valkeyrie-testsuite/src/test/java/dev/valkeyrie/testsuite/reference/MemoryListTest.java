package dev.valkeyrie.testsuite.reference;

import dev.valkeyrie.store.Store;
import dev.valkeyrie.testsuite.BackendTraits;
import dev.valkeyrie.testsuite.ListContract;

/** Runs {@link ListContract} against the in-memory reference store. */
class MemoryListTest extends ListContract {
  @Override
  protected BackendTraits traits() {
    return MemoryStores.TRAITS;
  }

  @Override
  protected Store newStore() {
    return MemoryServer.SHARED.connect();
  }
}
