package dev.valkeyrie.etcdv3;

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
import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The conformance suite, run against one real etcd member through its v3 API. */
class EtcdV3ConformanceTest {
  @RegisterExtension static final EtcdClusterExtension ETCD = EtcdClusterExtension.members(1);

  /**
   * etcd v3's declared differences from the contract as etcd v2 defines it, in one place: a flat
   * keyspace (a key may have keys below it; directories are implicit, so listings hold only the
   * keys that exist), values of any bytes, TTLs of at least 2 s (etcd's lease minimum), values over
   * 1.5 MiB refused before sending (etcd's default --max-request-bytes), and no TTL on a directory
   * (a lease cannot remove the keys below one).
   */
  static final BackendTraits TRAITS =
      BackendTraits.builder()
          .keysAndDirectoriesDistinct(false)
          .listIncludesImplicitDirectories(false)
          .valuesAnyBytes(true)
          .minimumTtl(Duration.ofSeconds(2))
          .maxValueBytes(EtcdV3Config.DEFAULT_MAX_REQUEST_BYTES)
          .directoriesHaveTtl(false)
          .build();

  static Store open() {
    return EtcdV3Store.open(ETCD.endpoints(), null);
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
      return EtcdV3Store.open(
          ETCD.endpoints(),
          EtcdV3Config.builder().maxOutstandingRequests(maxOutstandingRequests).build());
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
  class Locking extends LockContract {
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

  @Nested
  class Watch extends WatchContract {
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
