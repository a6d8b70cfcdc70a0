package dev.valkeyrie.etcdv3;

import static dev.valkeyrie.etcdv3.TestSupport.figure;
import static dev.valkeyrie.etcdv3.TestSupport.utf8;
import static dev.valkeyrie.etcdv3.WatchTesting.etcdMetric;
import static dev.valkeyrie.etcdv3.WatchTesting.next;
import static dev.valkeyrie.etcdv3.WatchTesting.percentile;
import static dev.valkeyrie.etcdv3.WatchTesting.putMany;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.etcd.launcher.EtcdCluster;
import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.KeyEvent;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.store.Watch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A quick version of the scale targets (10,000 watches on one stream, p99 under 100 ms; a tree
 * watch of 100,000 keys under 10,000 writes under 500 ms behind at p99): 1,000 watches in one store
 * on one stream, and a tree watch of 10,000 keys under 1,000 writes. Figures only; the assertions
 * are about sharing one stream, every change arriving, and the store's threads.
 */
class WatchScaleTest {
  @RegisterExtension
  static final EtcdClusterExtension ETCD =
      EtcdClusterExtension.of(EtcdCluster.builder().name("v3-watch-scale"));

  private static final int WRITERS = 8;

  private static TestSupport.Raw raw;
  private static ExecutorService pool;

  @BeforeAll
  static void open() {
    raw = new TestSupport.Raw(ETCD.endpoints().get(0));
    pool = Executors.newFixedThreadPool(WRITERS);
  }

  @AfterAll
  static void close() throws InterruptedException {
    raw.close();
    pool.shutdownNow();
    pool.awaitTermination(10, TimeUnit.SECONDS);
  }

  private static long heapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    Runtime runtime = Runtime.getRuntime();
    return runtime.totalMemory() - runtime.freeMemory();
  }

  /** Runs {@code task(i)} for i in [0, n) on the pool's threads; waits for all. */
  private static void parallel(int n, IntConsumer task) throws Exception {
    List<Future<?>> parts = new ArrayList<>();
    for (int w = 0; w < WRITERS; w++) {
      int first = w;
      parts.add(
          pool.submit(
              () -> {
                for (int i = first; i < n; i += WRITERS) {
                  task.accept(i);
                }
                return null;
              }));
    }
    for (Future<?> part : parts) {
      part.get(5, TimeUnit.MINUTES);
    }
  }

  @Test
  void aThousandWatchesInOneStoreShareOneStreamAndEachGetsItsChange() throws Exception {
    String dir = "scale/keys";
    int n = 1_000;
    putMany(raw, dir, n, 16);
    String endpoint = ETCD.endpoints().get(0);
    long streamsBefore = etcdMetric(endpoint, "etcd_debugging_mvcc_watch_stream_total");
    long watchersBefore = etcdMetric(endpoint, "etcd_debugging_mvcc_watcher_total");
    ExecutorService listeners = Executors.newFixedThreadPool(2);
    try (EtcdV3Store store = EtcdV3Store.open(ETCD.endpoints(), null);
        Store writer = EtcdV3Store.open(ETCD.endpoints(), null)) {
      long heapBefore = heapAfterGc();
      List<Watch<KVPair>> watches = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        watches.add(null);
      }
      long startedAt = System.nanoTime();
      parallel(n, i -> watches.set(i, store.watch(dir + "/k" + i)));
      AtomicLongArray arrived = new AtomicLongArray(n);
      AtomicInteger current = new AtomicInteger();
      for (int i = 0; i < n; i++) {
        int index = i;
        watches
            .get(i)
            .listen(
                update -> {
                  if (update.valueAsString().equals("changed")) {
                    arrived.set(index, System.nanoTime());
                  } else {
                    current.incrementAndGet();
                  }
                },
                listeners);
      }
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  current.get() == n
                      && etcdMetric(endpoint, "etcd_debugging_mvcc_watcher_total")
                          == watchersBefore + n);
      figure(
          "v3 watch scale: %d watches started in %d ms (%d threads)",
          n, TestSupport.millisSince(startedAt), WRITERS);
      figure("v3 watch scale: heap per watch ~%d bytes", (heapAfterGc() - heapBefore) / n);
      assertThat(etcdMetric(endpoint, "etcd_debugging_mvcc_watch_stream_total"))
          .as("etcd's watch streams for %d watches", n)
          .isEqualTo(streamsBefore + 1);

      long[] sent = new long[n];
      parallel(
          n,
          i -> {
            sent[i] = System.nanoTime();
            writer.put(dir + "/k" + i, utf8("changed"));
          });
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                for (int i = 0; i < n; i++) {
                  if (arrived.get(i) == 0) {
                    return false;
                  }
                }
                return true;
              });
      long[] latency = new long[n];
      for (int i = 0; i < n; i++) {
        latency[i] = TimeUnit.NANOSECONDS.toMicros(arrived.get(i) - sent[i]);
      }
      figure(
          "v3 watch scale: %d watches, one change each (%d writers): delivery p50 %.1f ms,"
              + " p99 %.1f ms, max %.1f ms",
          n,
          WRITERS,
          percentile(latency, 50) / 1000.0,
          percentile(latency, 99) / 1000.0,
          percentile(latency, 100) / 1000.0);
      assertThat(TestSupport.threadsNamed(store.threadPrefix()))
          .as("the store's threads")
          .hasSizeLessThanOrEqualTo(8);
      watches.forEach(Watch::close);
    } finally {
      listeners.shutdownNow();
    }
  }

  @Test
  void aTreeWatchOfTenThousandKeysFollowsABurstOfAThousandWrites() throws Exception {
    String dir = "scale/tree";
    int keys = 10_000;
    int writes = 1_000;
    putMany(raw, dir, keys, 16);
    try (Store store = EtcdV3Store.open(ETCD.endpoints(), null);
        Store writer = EtcdV3Store.open(ETCD.endpoints(), null);
        Watch<List<KVPair>> watch = store.watchTree(dir)) {
      List<KVPair> first = next(watch);
      assertThat(first).hasSize(keys);
      // Each write changes one key of its own; find where it sits in the listing.
      int[] position = new int[writes];
      for (int p = 0; p < first.size(); p++) {
        String name = first.get(p).key();
        int i = Integer.parseInt(name.substring(name.lastIndexOf("/k") + 2));
        if (i < writes) {
          position[i] = p;
        }
      }
      long[] sent = new long[writes];
      long[] seenAt = new long[writes];
      Future<?> burst =
          pool.submit(
              () -> {
                parallel(
                    writes,
                    i -> {
                      sent[i] = System.nanoTime();
                      writer.put(dir + "/k" + i, utf8("burst"));
                    });
                return null;
              });
      int listings = 0;
      int seen = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (seen < writes && System.nanoTime() < deadline) {
        List<KVPair> listing = watch.poll(Duration.ofSeconds(1));
        if (listing == null) {
          continue;
        }
        long now = System.nanoTime();
        listings++;
        for (int i = 0; i < writes; i++) {
          if (seenAt[i] == 0 && listing.get(position[i]).valueAsString().equals("burst")) {
            seenAt[i] = now;
            seen++;
          }
        }
      }
      burst.get(60, TimeUnit.SECONDS);
      assertThat(seen).as("writes seen in a listing").isEqualTo(writes);
      long[] behind = new long[writes];
      for (int i = 0; i < writes; i++) {
        behind[i] = TimeUnit.NANOSECONDS.toMicros(seenAt[i] - sent[i]);
      }
      figure(
          "v3 tree watch of %d keys under %d writes (%d writers): %d listings delivered,"
              + " behind p50 %.1f ms, p99 %.1f ms, max %.1f ms",
          keys,
          writes,
          WRITERS,
          listings,
          percentile(behind, 50) / 1000.0,
          percentile(behind, 99) / 1000.0,
          percentile(behind, 100) / 1000.0);
    }
  }

  @Test
  void aTreeEventWatchOfMoreEntriesThanItsDefaultRoomStartsWithoutOverflowing() throws Exception {
    String dir = "scale/big-tree";
    int keys = Watches.TREE_EVENT_CAPACITY + 5_000;
    putMany(raw, dir, keys, 8);
    try (Store store = EtcdV3Store.open(ETCD.endpoints(), null)) {
      long start = System.nanoTime();
      try (Watch<KeyEvent> watch = store.watchTreeEvents(dir)) {
        figure(
            "v3 tree event watch of %d keys: started (read and %d CURRENT events queued) in"
                + " %d ms",
            keys, keys, TestSupport.millisSince(start));
        store.put(dir + "/k0", utf8("changed"));

        List<KeyEvent> events = WatchTesting.take(watch, keys + 1, Duration.ofSeconds(60));
        assertThat(events.get(keys).kind()).isEqualTo(KeyEvent.Kind.MODIFIED);
        assertThat(watch.isClosed()).isFalse();
      }
    }
  }
}
