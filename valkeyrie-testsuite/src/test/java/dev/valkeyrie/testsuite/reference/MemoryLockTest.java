package dev.valkeyrie.testsuite.reference;

import dev.valkeyrie.store.Store;
import dev.valkeyrie.testsuite.BackendTraits;
import dev.valkeyrie.testsuite.LockContract;

/** Runs {@link LockContract} against the in-memory reference store. */
class MemoryLockTest extends LockContract {
  @Override
  protected BackendTraits traits() {
    return MemoryStores.TRAITS;
  }

  @Override
  protected Store newStore() {
    return MemoryServer.SHARED.connect();
  }
}
