package dev.valkeyrie.testsuite.reference;

import dev.valkeyrie.store.Store;
import dev.valkeyrie.testsuite.BackendTraits;
import dev.valkeyrie.testsuite.AtomicContract;

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
