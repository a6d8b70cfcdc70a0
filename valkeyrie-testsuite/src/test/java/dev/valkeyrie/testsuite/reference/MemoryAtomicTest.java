package dev.valkeyrie.testsuite.reference;

import dev.valkeyrie.store.Store;
import dev.valkeyrie.testsuite.AtomicContract;

/** Runs {@link AtomicContract} against the in-memory reference store. */
class MemoryAtomicTest extends AtomicContract {
  @Override
  protected Store newStore() {
    return MemoryServer.SHARED.connect();
  }
}
