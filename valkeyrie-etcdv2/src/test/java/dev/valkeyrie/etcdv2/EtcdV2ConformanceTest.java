package dev.valkeyrie.etcdv2;

import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.testsuite.AtomicContract;
import dev.valkeyrie.testsuite.KeyValueContract;
import dev.valkeyrie.testsuite.ListContract;
import dev.valkeyrie.testsuite.LockContract;
import dev.valkeyrie.testsuite.TtlContract;
import dev.valkeyrie.testsuite.WatchContract;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The whole conformance suite, run against one real etcd member. */
class EtcdV2ConformanceTest {
  @RegisterExtension static final EtcdClusterExtension ETCD = EtcdClusterExtension.members(1);

  static Store open() {
    return EtcdV2Store.open(ETCD.endpoints(), null);
  }

  @Nested
  class KeyValue extends KeyValueContract {
    @Override
    protected Store newStore() {
      return open();
    }
  }

  @Nested
  class Listing extends ListContract {
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
  class Watches extends WatchContract {
    @Override
    protected Store newStore() {
      return open();
    }
  }

  @Nested
  class Locks extends LockContract {
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
