package dev.valkeyrie.etcdv2.faults;

import static dev.valkeyrie.etcdv2.TestSupport.figure;
import static dev.valkeyrie.etcdv2.TestSupport.millisSince;
import static dev.valkeyrie.etcdv2.TestSupport.onThread;
import static dev.valkeyrie.etcdv2.TestSupport.utf8;
import static dev.valkeyrie.etcdv2.faults.FaultSupport.heapUsedAfterGc;
import static dev.valkeyrie.etcdv2.faults.FaultSupport.percentile;
import static dev.valkeyrie.etcdv2.faults.FaultSupport.sorted;
import static dev.valkeyrie.etcdv2.faults.FaultSupport.storeThreads;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.etcd.launcher.EtcdCluster;
import dev.valkeyrie.etcdv2.EtcdV2Store;
import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.store.Watch;
import dev.valkeyrie.testsuite.ConcurrentRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Many watches in one store: each gets its key's change, and the store's thread count stays fixed.
 * A tree watch over a large directory follows a burst of writes. Prints the figures the issue asks
 * for (threads and heap for N watches, delivery latency, events per second).
 */
class WatchFanOutTest {
  @RegisterExtension
  static final EtcdClusterExtension ETCD =
      EtcdClusterExtension.of(EtcdCluster.builder().members(1).name("fanout"));

  private static final int WATCHES = 500;
  private static final int CHILDREN = 2_000;
  private static final int WRITERS = 4;

  @Test
  void fiveHundredKeyWatchesInOneStoreEachReceiveTheirKeysChangeOnAFewThreads() throws Exception {
    int threadsBefore = storeThreads().size();
    long heapBefore = heapUsedAfterGc();
    List<Watch<KVPair>> watches = new ArrayList<>(WATCHES);
    try (Store store = EtcdV2Store.open(ETCD.endpoints(), null)) {
      ConcurrentRunner.run(
          WRITERS,
          Duration.ofSeconds(40),
          thread -> {
            for (int i = thread; i < WATCHES; i += WRITERS) {
              store.put(key(i), utf8("v0"));
            }
          });
      try {
        long openStart = System.nanoTime();
        for (int i = 0; i < WATCHES; i++) {
          watches.add(store.watch(key(i)));
        }
        long opening = millisSince(openStart);
        for (int i = 0; i < WATCHES; i++) {
          KVPair first = watches.get(i).poll(Duration.ofSeconds(10));
          assertThat(first).as("first update of watch %d", i).isNotNull();
          assertThat(first.valueAsString()).isEqualTo("v0");
        }

        List<String> threads = storeThreads();
        long heapWith = heapUsedAfterGc();
        figure(
            "fan-out: %d key watches opened in %d ms; store threads %d %s; JVM threads %d",
            WATCHES, opening, threads.size() - threadsBefore, threads, Thread.activeCount());
        figure(
            "fan-out: heap used after GC %.1f MB before the store, %.1f MB with %d watches"
                + " (%.1f KB per watch)",
            heapBefore / 1e6, heapWith / 1e6, WATCHES, (heapWith - heapBefore) / 1e3 / WATCHES);
        assertThat(threads.size() - threadsBefore)
            .as("threads of the store: %s", threads)
            .isLessThanOrEqualTo(16);

        long[] latencies = changeEveryKeyAndMeasureDelivery(store, watches);
        long[] ms = sorted(latencies);
        figure(
            "fan-out: delivery latency over %d watches: p50 %.1f ms, p99 %.1f ms, max %.1f ms",
            WATCHES, percentile(ms, 50) / 1e6, percentile(ms, 99) / 1e6, ms[ms.length - 1] / 1e6);
        for (int i = 0; i < WATCHES; i++) {
          assertThat(watches.get(i).poll(Duration.ZERO))
              .as("a second update on watch %d", i)
              .isNull();
          assertThat(watches.get(i).isClosed()).isFalse();
        }
        assertThat(storeThreads().size() - threadsBefore).isLessThanOrEqualTo(16);
      } finally {
        watches.forEach(Watch::close);
      }
    }
  }

  /**
   * Writes a new value to every key (one writer thread) while this thread checks every watch
   * without blocking; returns, per watch, nanoseconds from sending the write to seeing the update.
   */
  private static long[] changeEveryKeyAndMeasureDelivery(Store store, List<Watch<KVPair>> watches)
      throws Exception {
    AtomicLongArray sentAt = new AtomicLongArray(WATCHES);
    long[] latencies = new long[WATCHES];
    boolean[] received = new boolean[WATCHES];
    CompletableFuture<Void> writes =
        onThread(
            "fanout-writer",
            () -> {
              for (int i = 0; i < WATCHES; i++) {
                sentAt.set(i, System.nanoTime());
                store.put(key(i), utf8("v1"));
              }
              return null;
            });
    int done = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
    while (done < WATCHES) {
      assertThat(System.nanoTime())
          .as("all %d watches updated in time; %d were", WATCHES, done)
          .isLessThan(deadline);
      if (writes.isCompletedExceptionally()) {
        writes.join(); // throws the writer's failure
      }
      int before = done;
      for (int i = 0; i < WATCHES; i++) {
        if (received[i]) {
          continue;
        }
        KVPair update = watches.get(i).poll(Duration.ZERO);
        if (update != null) {
          long now = System.nanoTime();
          assertThat(update.key()).isEqualTo(key(i));
          assertThat(update.valueAsString()).as("update of watch %d", i).isEqualTo("v1");
          latencies[i] = now - sentAt.get(i);
          received[i] = true;
          done++;
        }
      }
      if (done == before) {
        LockSupport.parkNanos(200_000); // the sweep's polling interval
      }
    }
    writes.get(10, TimeUnit.SECONDS);
    return latencies;
  }

  @Test
  void aTreeWatchOverTwoThousandChildrenFollowsABurstOfTwoThousandWrites() throws Exception {
    String dir = "fanout/tree";
    try (Store store = EtcdV2Store.open(ETCD.endpoints(), null)) {
      ConcurrentRunner.run(
          WRITERS,
          Duration.ofSeconds(40),
          thread -> {
            for (int i = thread; i < CHILDREN; i += WRITERS) {
              store.put(dir + "/c" + i, utf8("v0"));
            }
          });
      try (Watch<List<KVPair>> watch = store.watchTree(dir)) {
        assertThat(watch.take()).hasSize(CHILDREN);

        record Snapshot(long at, List<KVPair> entries) {}
        AtomicReference<Snapshot> latest = new AtomicReference<>();
        AtomicInteger snapshots = new AtomicInteger();
        AtomicInteger stop = new AtomicInteger();
        CompletableFuture<Void> consumer =
            onThread(
                "tree-consumer",
                () -> {
                  long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(50);
                  while (stop.get() == 0 && System.nanoTime() < deadline) {
                    List<KVPair> entries = watch.poll(Duration.ofMillis(100));
                    if (entries != null) {
                      latest.set(new Snapshot(System.nanoTime(), entries));
                      snapshots.incrementAndGet();
                    }
                  }
                  return null;
                });

        AtomicLong lastWriteDone = new AtomicLong();
        long burstStart = System.nanoTime();
        ConcurrentRunner.run(
            WRITERS,
            Duration.ofSeconds(40),
            thread -> {
              for (int i = thread; i < CHILDREN; i += WRITERS) {
                store.put(dir + "/c" + i, utf8("v1"));
                lastWriteDone.accumulateAndGet(System.nanoTime(), Math::max);
              }
            });
        long burstEnd = lastWriteDone.get();
        List<KVPair> expected = store.list(dir);
        try {
          await("the tree watch's latest snapshot equals list()")
              .atMost(Duration.ofSeconds(30))
              .pollInterval(Duration.ofMillis(20))
              .until(() -> latest.get() != null && latest.get().entries().equals(expected));
        } finally {
          stop.set(1);
          consumer.get(10, TimeUnit.SECONDS);
        }

        long matchedAt = latest.get().at();
        double seconds = (matchedAt - burstStart) / 1e9;
        figure(
            "tree watch: burst of %d writes (%d writers) took %d ms; the watch over %d"
                + " children showed all of them after %d ms: %.0f events/s, lag behind the last"
                + " write %d ms, %d snapshots taken",
            CHILDREN,
            WRITERS,
            (burstEnd - burstStart) / 1_000_000,
            CHILDREN,
            (matchedAt - burstStart) / 1_000_000,
            CHILDREN / seconds,
            Math.max(0, (matchedAt - burstEnd) / 1_000_000),
            snapshots.get());
        assertThat(expected)
            .hasSize(CHILDREN)
            .allSatisfy(pair -> assertThat(pair.valueAsString()).isEqualTo("v1"));
        assertThat(watch.isClosed()).isFalse();
      }
    }
  }

  private static String key(int i) {
    return "fanout/keys/k" + i;
  }
}
