package dev.valkeyrie.etcdv2;

import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.testsuite.AsyncContract;
import dev.valkeyrie.testsuite.AtomicContract;
import dev.valkeyrie.testsuite.BackendTraits;
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

  /**
   * etcd v2's declared traits: keys and directories are distinct nodes (listings include the
   * directories between keys), values are UTF-8 text only (etcd v2 stores text), no minimum TTL, a
   * value over 10 MiB is refused (etcd's form limit), directories may have a TTL.
   */
  static final BackendTraits TRAITS =
      BackendTraits.builder()
          .keysAndDirectoriesDistinct(true)
          .listIncludesImplicitDirectories(true)
          .valuesAnyBytes(false)
          .maxValueBytes(10 << 20)
          .directoriesHaveTtl(true)
          .build();

  static Store open() {
    return EtcdV2Store.open(ETCD.endpoints(), null);
  }

  @Nested
  class Async extends AsyncContract {
    @Override
    protected BackendTraits traits() {
      return TRAITS;
    }

    @Override
    protected Store newStore() {
      return open();
    }

    @Override
    protected Store newStore(int maxOutstandingRequests) {
      return EtcdV2Store.open(
          ETCD.endpoints(),
          EtcdV2Config.builder().maxOutstandingRequests(maxOutstandingRequests).build());
    }
  }

  @Nested
  class KeyValue extends KeyValueContract {
    @Override
    protected BackendTraits traits() {
      return TRAITS;
    }

    @Override
    protected Store newStore() {
      return open();
    }
  }

  @Nested
  class Listing extends ListContract {
    @Override
    protected BackendTraits traits() {
      return TRAITS;
    }

    @Override
    protected Store newStore() {
      return open();
    }
  }

  @Nested
  class Atomic extends AtomicContract {
    @Override
    protected BackendTraits traits() {
      return TRAITS;
    }

    @Override
    protected Store newStore() {
      return open();
    }
  }

  @Nested
  class Watches extends WatchContract {
    @Override
    protected BackendTraits traits() {
      return TRAITS;
    }

    @Override
    protected Store newStore() {
      return open();
    }
  }

  @Nested
  class Locks extends LockContract {
    @Override
    protected BackendTraits traits() {
      return TRAITS;
    }

    @Override
    protected Store newStore() {
      return open();
    }
  }

  @Nested
  class Ttl extends TtlContract {
    @Override
    protected BackendTraits traits() {
      return TRAITS;
    }

    @Override
    protected Store newStore() {
      return open();
    }
  }
}
