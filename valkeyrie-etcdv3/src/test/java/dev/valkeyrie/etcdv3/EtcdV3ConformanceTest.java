package dev.valkeyrie.etcdv3;

import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.testsuite.AtomicContract;
import dev.valkeyrie.testsuite.KeyValueContract;
import dev.valkeyrie.testsuite.LockContract;
import dev.valkeyrie.testsuite.TtlContract;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The conformance suite, run against one real etcd member through its v3 API. */
class EtcdV3ConformanceTest {
  @RegisterExtension static final EtcdClusterExtension ETCD = EtcdClusterExtension.members(1);

  static Store open() {
    return EtcdV3Store.open(ETCD.endpoints(), null);
  }

  @Nested
  class KeyValue extends KeyValueContract {
    @Override
    protected Store newStore() {
      return open();
    }
  }

  @Nested
  class Atomic extends AtomicContract {
    @Override
    protected Store newStore() {
      return open();
    }
  }

  @Nested
  class Locking extends LockContract {
    @Override
    protected Store newStore() {
      return open();
    }
  }

  @Nested
  class Ttl extends TtlContract {
    @Override
    protected Store newStore() {
      return open();
    }
  }
}
