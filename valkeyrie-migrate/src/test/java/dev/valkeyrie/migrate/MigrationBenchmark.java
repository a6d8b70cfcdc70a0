package dev.valkeyrie.migrate;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.valkeyrie.etcd.launcher.EtcdCluster;
import dev.valkeyrie.etcdv2.EtcdV2Store;
import dev.valkeyrie.etcdv3.EtcdV3Store;
import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.WriteOptions;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The migration's figures, measured (not asserted): a 100,000-key v2 tree copied into v3 on one
 * local etcd 3.4 member (keys/s, etcd included), the heap the copy needed, and the follow phase's
 * lag behind v2 under a steady write load. Run: {@code bin/migrate-benchmark [keys] [writes/s]}.
 */
public final class MigrationBenchmark {
  private MigrationBenchmark() {}

  public static void main(String[] args) throws Exception {
    int keys = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int rate = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    try (EtcdCluster etcd = EtcdCluster.builder().members(1).build().start();
        EtcdV2Store v2 = EtcdV2Store.open(etcd.clientEndpoints(), null);
        EtcdV3Store v3 = EtcdV3Store.open(etcd.clientEndpoints(), null)) {
      populate(v2, keys);
      System.gc();
      HeapPeak heap = HeapPeak.start();
      long start = System.nanoTime();
      CopyResult copy;
      Map<Long, Long> applied = new ConcurrentHashMap<>();
      try (Migration migration =
          Migration.builder()
              .source(v2)
              .target(v3)
              .prefix("bench")
              .progress(
                  p -> {
                    if (p.phase() == Progress.Phase.FOLLOWING) {
                      applied.put(p.index(), System.nanoTime());
                    }
                  })
              .build()) {
        copy = migration.copy();
        long copyNanos = System.nanoTime() - start;
        long peak = heap.stop();
        figure(
            "copy of %,d keys (%,d txns): %.2f s, %,.0f keys/s; heap peak %,d MiB (used, all"
                + " pools, sampled every 20 ms)",
            copy.plan().puts(),
            copy.plan().transactions(),
            copyNanos / 1e9,
            copy.plan().puts() * 1e9 / copyNanos,
            peak >> 20);
        Following following = Following.start(migration);
        long[] lags = steadyLoad(v2, rate, seconds, applied);
        following.stop();
        Arrays.sort(lags);
        figure(
            "follow at %d writes/s for %d s: %,d changes, lag (v2 write acknowledged -> applied"
                + " in v3) p50 %.1f ms, p99 %.1f ms, max %.1f ms",
            rate,
            seconds,
            lags.length,
            lags[lags.length / 2] / 1e6,
            lags[(int) (lags.length * 0.99)] / 1e6,
            lags[lags.length - 1] / 1e6);
        if (!migration.verify().matches()) {
          throw new AssertionError("v3 does not match v2 after the benchmark");
        }
        figure("verify after the follow: v2 and v3 match");
      }
    }
  }

  private static void populate(EtcdV2Store v2, int keys) throws InterruptedException {
    byte[] value = "v".repeat(100).getBytes(UTF_8);
    WriteOptions ttl = WriteOptions.builder().ttl(Duration.ofHours(1)).build();
    ExecutorService pool = Executors.newFixedThreadPool(32);
    AtomicLong next = new AtomicLong();
    long start = System.nanoTime();
    for (int t = 0; t < 32; t++) {
      pool.execute(
          () -> {
            for (long i = next.getAndIncrement(); i < keys; i = next.getAndIncrement()) {
              String key = "bench/d" + (i % 1000) + "/k" + i;
              v2.put(key, value, i % 100 == 0 ? ttl : null);
            }
          });
    }
    pool.shutdown();
    pool.awaitTermination(30, TimeUnit.MINUTES);
    figure("populated %,d v2 keys in %.1f s", keys, (System.nanoTime() - start) / 1e9);
  }

  /** Writes at {@code rate}/s and returns each write's lag until the follow applied it. */
  private static long[] steadyLoad(EtcdV2Store v2, int rate, int seconds, Map<Long, Long> applied)
      throws InterruptedException {
    int total = rate * seconds;
    long[] index = new long[total];
    long[] written = new long[total];
    long period = 1_000_000_000L / rate;
    long start = System.nanoTime();
    for (int i = 0; i < total; i++) {
      long due = start + i * period;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      KVPair pair = v2.atomicPut("bench/load/" + i, ("write " + i).getBytes(UTF_8), null, null);
      written[i] = System.nanoTime();
      index[i] = pair.lastIndex();
    }
    long last = index[total - 1];
    try {
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(10))
          .until(() -> applied.containsKey(last));
    } catch (org.awaitility.core.ConditionTimeoutException notApplied) {
      // reported below: the changes never applied get an unbounded lag
    }
    long[] lags = new long[total];
    for (int i = 0; i < total; i++) {
      Long at = applied.get(index[i]);
      lags[i] = at == null ? Long.MAX_VALUE : Math.max(0, at - written[i]);
    }
    return lags;
  }

  private static void figure(String format, Object... args) {
    System.out.println("FIGURE: " + String.format(Locale.ROOT, format, args));
  }

  /** The highest heap use seen, sampled on a thread of its own. */
  private static final class HeapPeak {
    private final AtomicLong peak = new AtomicLong();
    private volatile boolean running = true;
    private final Thread thread;

    private HeapPeak() {
      thread = new Thread(this::sample, "heap-sampler");
      thread.setDaemon(true);
    }

    static HeapPeak start() {
      HeapPeak h = new HeapPeak();
      h.thread.start();
      return h;
    }

    private void sample() {
      while (running) {
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
          if (pool.getType() == MemoryType.HEAP) {
            used += pool.getUsage().getUsed();
          }
        }
        peak.accumulateAndGet(used, Math::max);
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    long stop() throws InterruptedException {
      running = false;
      thread.join();
      return peak.get();
    }
  }
}
