package dev.valkeyrie.etcdv2.faults;

import static dev.valkeyrie.etcdv2.TestSupport.figure;
import static dev.valkeyrie.etcdv2.TestSupport.millisSince;
import static dev.valkeyrie.etcdv2.TestSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.etcd.launcher.EtcdCluster;
import dev.valkeyrie.etcdv2.EtcdV2Store;
import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.KeyModifiedException;
import dev.valkeyrie.store.Lease;
import dev.valkeyrie.store.Locker;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.testsuite.ConcurrentRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Several stores, several threads each, incrementing one counter: under the lock, and with
 * compare-and-swap retries. The conformance suite's contention tests at a higher load.
 */
class ContentionTest {
  @RegisterExtension
  static final EtcdClusterExtension ETCD =
      EtcdClusterExtension.of(EtcdCluster.builder().members(1).name("contention"));

  private static final int STORES = 3;
  private static final int THREADS_PER_STORE = 3;
  private static final int THREADS = STORES * THREADS_PER_STORE;
  private static final Duration RUN_LIMIT = Duration.ofSeconds(40);

  private final List<Store> stores = new ArrayList<>();

  @BeforeEach
  void openStores() {
    for (int i = 0; i < STORES; i++) {
      stores.add(EtcdV2Store.open(ETCD.endpoints(), null));
    }
  }

  @AfterEach
  void closeStores() {
    stores.forEach(Store::close);
  }

  @Test
  void lockedIncrementsFromSeveralStoresAndThreadsAreExactAndCriticalSectionsNeverOverlap()
      throws InterruptedException {
    int increments = 20;
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
          for (int i = 0; i < increments; i++) {
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

    int total = THREADS * increments;
    figure(
        "contention: %d lock-protected increments (%d stores x %d threads) in %d ms,"
            + " %.1f acquisitions/s",
        total, STORES, THREADS_PER_STORE, elapsed, total * 1000.0 / elapsed);
    assertThat(mostInside.get())
        .as("most holders inside the critical section at once")
        .isEqualTo(1);
    assertThat(fencingErrors).as("fencing tokens that did not increase").isEmpty();
    assertNoOverlap(sections);
    assertThat(stores.get(1).get(counter).valueAsString()).isEqualTo(Integer.toString(total));
  }

  @Test
  void atomicPutIncrementsWithRetriesFromSeveralStoresAndThreadsLoseNoUpdate()
      throws InterruptedException {
    int increments = 40;
    String counter = "contention/atomic/counter";
    stores.get(0).atomicPut(counter, utf8("0"), null, null);
    AtomicLong retries = new AtomicLong();

    long start = System.nanoTime();
    ConcurrentRunner.run(
        THREADS,
        RUN_LIMIT,
        thread -> {
          Store store = stores.get(thread % STORES);
          for (int i = 0; i < increments; i++) {
            for (int attempt = 1; ; attempt++) {
              if (attempt > 10_000) {
                throw new AssertionError(
                    "increment " + i + " of thread " + thread + " overtaken 10,000 times");
              }
              KVPair current = store.get(counter);
              int next = Integer.parseInt(current.valueAsString()) + 1;
              try {
                store.atomicPut(counter, utf8(Integer.toString(next)), current, null);
                break;
              } catch (KeyModifiedException overtaken) {
                retries.incrementAndGet();
              }
            }
          }
        });
    long elapsed = millisSince(start);

    int total = THREADS * increments;
    figure(
        "contention: %d compare-and-swap increments (%d stores x %d threads) in %d ms,"
            + " %d retries",
        total, STORES, THREADS_PER_STORE, elapsed, retries.get());
    assertThat(stores.get(2).get(counter).valueAsString()).isEqualTo(Integer.toString(total));
  }

  /** Sorted by entry, each critical section must end before the next one starts. */
  private static void assertNoOverlap(List<long[]> sections) {
    List<long[]> sorted = new ArrayList<>(sections);
    sorted.sort((a, b) -> Long.compare(a[0], b[0]));
    for (int i = 1; i < sorted.size(); i++) {
      assertThat(sorted.get(i)[0])
          .as("start of critical section %d vs end of the one before", i)
          .isGreaterThan(sorted.get(i - 1)[1]);
    }
  }
}
