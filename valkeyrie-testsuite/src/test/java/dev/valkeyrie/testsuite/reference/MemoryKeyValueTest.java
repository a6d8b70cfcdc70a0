package dev.valkeyrie.testsuite.reference;

import dev.valkeyrie.store.Store;
import dev.valkeyrie.testsuite.BackendTraits;
import dev.valkeyrie.testsuite.KeyValueContract;

/** Runs {@link KeyValueContract} against the in-memory reference store. */
class MemoryKeyValueTest extends KeyValueContract {
  @Override
  protected BackendTraits traits() {
    return MemoryStores.TRAITS;
  }

  @Override
  protected Store newStore() {
    return MemoryServer.SHARED.connect();
  }
}
