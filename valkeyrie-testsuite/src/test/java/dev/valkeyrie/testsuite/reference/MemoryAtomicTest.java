package dev.valkeyrie.testsuite.reference;

import dev.valkeyrie.store.Store;
import dev.valkeyrie.testsuite.AtomicContract;
import dev.valkeyrie.testsuite.BackendTraits;

/** Runs {@link AtomicContract} against the in-memory reference store. */
class MemoryAtomicTest extends AtomicContract {
  @Override
  protected BackendTraits traits() {
    return MemoryStores.TRAITS;
  }

  @Override
  protected Store newStore() {
    return MemoryServer.SHARED.connect();
  }
}
