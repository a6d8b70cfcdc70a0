package dev.valkeyrie.etcdv3;

import static dev.valkeyrie.etcdv3.TestSupport.figure;
import static dev.valkeyrie.etcdv3.TestSupport.millisSince;
import static dev.valkeyrie.etcdv3.TestSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.etcd.launcher.EtcdCluster;
import dev.valkeyrie.store.Lease;
import dev.valkeyrie.store.Locker;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.testsuite.ConcurrentRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Several stores, several threads each, incrementing one counter under the lock: the count is
 * exact, no two holders are ever inside at once, and fencing tokens strictly increase in the order
 * of the holdings. The conformance suite's contention test at a higher load.
 */
class MutexContentionTest {
  @RegisterExtension
  static final EtcdClusterExtension ETCD =
      EtcdClusterExtension.of(EtcdCluster.builder().members(1).name("v3-contention"));

  private static final int STORES = 3;
  private static final int THREADS_PER_STORE = 3;
  private static final int THREADS = STORES * THREADS_PER_STORE;
  private static final int INCREMENTS = 20;
  private static final Duration RUN_LIMIT = Duration.ofMinutes(3);

  private final List<Store> stores = new ArrayList<>();

  @BeforeEach
  void openStores() {
    for (int i = 0; i < STORES; i++) {
      stores.add(EtcdV3Store.open(ETCD.endpoints(), null));
    }
  }

  @AfterEach
  void closeStores() {
    stores.forEach(Store::close);
  }

  @Test
  void lockedIncrementsFromSeveralStoresAndThreadsAreExactAndNeverOverlap()
      throws InterruptedException {
    String lockKey = "contention/lock/mutex";
    String counter = "contention/lock/counter";
    stores.get(0).put(counter, utf8("0"));
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger mostInside = new AtomicInteger();
    AtomicLong lastFencingToken = new AtomicLong();
    List<long[]> sections = Collections.synchronizedList(new ArrayList<>());
    List<String> fencingErrors = Collections.synchronizedList(new ArrayList<>());

    long start = System.nanoTime();
    ConcurrentRunner.run(
        THREADS,
        RUN_LIMIT,
        thread -> {
          Store store = stores.get(thread % STORES);
          Locker locker = store.newLock(lockKey, null);
          for (int i = 0; i < INCREMENTS; i++) {
            try (Lease lease = locker.lock()) {
              long enteredAt = System.nanoTime();
              mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
              try {
                long previous = lastFencingToken.getAndSet(lease.fencingToken());
                if (lease.fencingToken() <= previous) {
                  fencingErrors.add(lease.fencingToken() + " after " + previous);
                }
                int current = Integer.parseInt(store.get(counter).valueAsString());
                store.put(counter, utf8(Integer.toString(current + 1)));
              } finally {
                inside.decrementAndGet();
                sections.add(new long[] {enteredAt, System.nanoTime()});
              }
            }
          }
        });
    long elapsed = millisSince(start);

    int total = THREADS * INCREMENTS;
    figure(
        "contention: %d lock-protected increments (%d stores x %d threads) in %d ms,"
            + " %.1f acquisitions/s",
        total, STORES, THREADS_PER_STORE, elapsed, total * 1000.0 / elapsed);
    assertThat(mostInside.get())
        .as("most holders inside the critical section at once")
        .isEqualTo(1);
    assertThat(fencingErrors).as("fencing tokens that did not increase").isEmpty();
    List<long[]> sorted = new ArrayList<>(sections);
    sorted.sort(Comparator.comparingLong(s -> s[0]));
    for (int i = 1; i < sorted.size(); i++) {
      assertThat(sorted.get(i)[0])
          .as("section %d starts after section %d ended", i, i - 1)
          .isGreaterThan(sorted.get(i - 1)[1]);
    }
    assertThat(stores.get(1).get(counter).valueAsString()).isEqualTo(Integer.toString(total));
  }
}
