package dev.valkeyrie.benchmarks;

import dev.valkeyrie.etcdv2.EtcdV2Config;
import dev.valkeyrie.etcdv2.EtcdV2Store;
import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.KeyEvent;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.store.Watch;
import dev.valkeyrie.store.WatchListener;
import dev.valkeyrie.store.WriteOptions;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.Histogram;

/**
 * Watch fan-out and tree watches through the public API ({@code store.watch}, {@code
 * store.watchTree}, {@code store.watchTreeEvents}), with threads counted and heap measured after
 * collection. Every wait is bounded.
 */
public final class WatchBenchmarks {
  private static final Duration DELIVERY_LIMIT = Duration.ofSeconds(60);
  private static final int WRITERS = 16;

  /** The prefix of every thread the etcd v2 backend starts. */
  static final String STORE_THREADS = "valkeyrie-";

  private WatchBenchmarks() {}

  /**
   * Fan-out.
   *
   * @param storeThreads threads the store added (opening it and all its watches), counted by the
   *     backend's thread name prefix
   * @param heapBytes heap the store and its watches hold, after collection
   */
  public record FanOut(
      int watches,
      int storeThreads,
      long heapBytes,
      long delivered,
      double p50Millis,
      double p99Millis,
      double maxMillis) {}

  /**
   * A tree watch under a write burst.
   *
   * @param api {@code watchTree} (a listing per update) or {@code watchTreeEvents} (one event per
   *     change)
   * @param writesPerSecond the burst's own rate (blocking puts from 16 threads)
   * @param eventsPerSecond writes applied by the watch per second, from the burst's start until the
   *     watch showed the last of them
   * @param cpuMicrosPerEvent this JVM's CPU time (watch, writers and consumer) per write
   */
  public record Tree(
      String api,
      int children,
      int writes,
      double writesPerSecond,
      double eventsPerSecond,
      double p50Millis,
      double p99Millis,
      double maxMillis,
      double cpuMicrosPerEvent,
      long updates) {}

  public static FanOut fanOut(List<String> endpoints, int watches, PrintStream log)
      throws Exception {
    String prefix = "bench/fan/";
    try (Store writer = EtcdV2Store.open(endpoints, EtcdV2Config.defaults())) {
      parallel(watches, i -> writer.put(prefix + i, bytes("v0")));
    }
    long heapBefore = JvmStats.heapAfterGc();
    long threadsBefore = JvmStats.threadsNamed(STORE_THREADS);
    ExecutorService consumers = Executors.newFixedThreadPool(2, daemon("bench-consumer"));
    Store store = EtcdV2Store.open(endpoints, EtcdV2Config.defaults());
    List<Watch<KVPair>> open = new ArrayList<>();
    try {
      for (int i = 0; i < watches; i++) {
        Watch<KVPair> watch = store.watch(prefix + i);
        open.add(watch);
        KVPair first = watch.poll(DELIVERY_LIMIT);
        if (first == null) {
          throw new IllegalStateException("watch " + i + " gave no first update");
        }
      }
      // Let every long poll get established before counting.
      Thread.sleep(500);
      int storeThreads = (int) (JvmStats.threadsNamed(STORE_THREADS) - threadsBefore);
      long heap = JvmStats.heapAfterGc() - heapBefore;
      log.printf(
          "  fan-out: %d watches open, %d threads added, %s heap%n",
          watches, storeThreads, JvmStats.mib(heap));

      AtomicLongArray started = new AtomicLongArray(watches);
      Histogram lags = new Histogram(TimeUnit.SECONDS.toMicros(120), 3);
      CountDownLatch all = new CountDownLatch(watches);
      for (int i = 0; i < watches; i++) {
        int n = i;
        open.get(i)
            .listen(
                new WatchListener<KVPair>() {
                  private boolean seen;

                  @Override
                  public void onUpdate(KVPair update) {
                    long at = System.nanoTime();
                    if (!seen && update.valueAsString().equals("v1")) {
                      seen = true;
                      synchronized (lags) {
                        lags.recordValue(Math.max(1, (at - started.get(n)) / 1000));
                      }
                      all.countDown();
                    }
                  }
                },
                consumers);
      }
      try (Store writes = EtcdV2Store.open(endpoints, EtcdV2Config.defaults())) {
        parallel(
            watches,
            i -> {
              started.set(i, System.nanoTime());
              writes.put(prefix + i, bytes("v1"));
            });
      }
      if (!all.await(DELIVERY_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
        log.printf(
            "  fan-out: only %d of %d changes arrived within %s%n",
            watches - all.getCount(), watches, DELIVERY_LIMIT);
      }
      synchronized (lags) {
        return new FanOut(
            watches,
            storeThreads,
            heap,
            lags.getTotalCount(),
            lags.getValueAtPercentile(50) / 1000.0,
            lags.getValueAtPercentile(99) / 1000.0,
            lags.getMaxValue() / 1000.0);
      }
    } finally {
      store.close();
      consumers.shutdownNow();
      consumers.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  /**
   * A directory of {@code children} keys, watched with {@code api}, under a burst of {@code writes}
   * puts to distinct children from 16 threads. The lag of a write runs from the start of its put
   * until the watch delivered it.
   */
  public static Tree tree(
      List<String> endpoints, String api, int children, int writes, PrintStream log)
      throws Exception {
    if (writes > children) {
      throw new IllegalArgumentException("writes must go to distinct children");
    }
    String dir = "bench/tree-" + api + "-" + children;
    try (Store setup = EtcdV2Store.open(endpoints, EtcdV2Config.defaults())) {
      if (setup.exists(dir)) {
        setup.deleteTree(dir);
      }
      setup.put(dir, null, WriteOptions.builder().isDir(true).build());
      parallel(children, i -> setup.put(child(dir, i), bytes("initial")));
    }
    long[] started = new long[writes];
    long[] seenAt = new long[writes];
    AtomicLong lastSeen = new AtomicLong();
    AtomicLong updates = new AtomicLong();
    CountDownLatch done = new CountDownLatch(1);
    ExecutorService consumer = Executors.newSingleThreadExecutor(daemon("bench-tree-consumer"));
    try (Store store = EtcdV2Store.open(endpoints, EtcdV2Config.defaults())) {
      int[] remaining = {writes};
      Runnable seen =
          () -> {
            if (--remaining[0] == 0) {
              lastSeen.set(System.nanoTime());
              done.countDown();
            }
          };
      Watch<?> watch;
      if (api.equals("watchTree")) {
        Watch<List<KVPair>> listing = store.watchTree(dir);
        List<KVPair> first = listing.poll(DELIVERY_LIMIT);
        if (first == null || first.size() != children) {
          throw new IllegalStateException(
              "tree watch started with " + (first == null ? "nothing" : first.size() + " entries"));
        }
        long startIndex = first.stream().mapToLong(KVPair::lastIndex).max().orElse(0);
        listing.listen(
            new WatchListener<List<KVPair>>() {
              private long maxIndex = startIndex;

              @Override
              public void onUpdate(List<KVPair> update) {
                long at = System.nanoTime();
                updates.incrementAndGet();
                long newest = maxIndex;
                for (KVPair pair : update) {
                  if (pair.lastIndex() > maxIndex) {
                    newest = Math.max(newest, pair.lastIndex());
                    record(pair, at, seenAt, seen);
                  }
                }
                maxIndex = newest;
              }
            },
            consumer);
        watch = listing;
      } else {
        Watch<KeyEvent> events = store.watchTreeEvents(dir, null);
        for (int i = 0; i < children; i++) {
          KeyEvent current = events.poll(DELIVERY_LIMIT);
          if (current == null || current.kind() != KeyEvent.Kind.CURRENT) {
            throw new IllegalStateException("tree event watch started with " + current);
          }
        }
        events.listen(
            update -> {
              updates.incrementAndGet();
              if (update.kind() == KeyEvent.Kind.MODIFIED) {
                record(update.pair(), System.nanoTime(), seenAt, seen);
              }
            },
            consumer);
        watch = events;
      }
      long cpuBefore = ClosedLoop.processCpuNanos();
      long burstStart = System.nanoTime();
      parallel(
          writes,
          i -> {
            started[i] = System.nanoTime();
            store.put(child(dir, i), bytes("w" + i));
          });
      long burstEnd = System.nanoTime();
      boolean complete = done.await(DELIVERY_LIMIT.toSeconds(), TimeUnit.SECONDS);
      long cpuAfter = ClosedLoop.processCpuNanos();
      watch.close();
      if (!complete) {
        throw new IllegalStateException(
            api
                + ": only "
                + (writes - remaining[0])
                + " of "
                + writes
                + " writes arrived within "
                + DELIVERY_LIMIT);
      }
      Histogram lags = new Histogram(TimeUnit.SECONDS.toMicros(120), 3);
      synchronized (seenAt) {
        for (int i = 0; i < writes; i++) {
          lags.recordValue(Math.max(1, (seenAt[i] - started[i]) / 1000));
        }
      }
      Tree result =
          new Tree(
              api,
              children,
              writes,
              writes / ((burstEnd - burstStart) / 1e9),
              writes / ((lastSeen.get() - burstStart) / 1e9),
              lags.getValueAtPercentile(50) / 1000.0,
              lags.getValueAtPercentile(99) / 1000.0,
              lags.getMaxValue() / 1000.0,
              (cpuAfter - cpuBefore) / 1000.0 / writes,
              updates.get());
      log.printf(
          "  tree %s, %d children: %d writes at %.0f/s, applied %.0f/s, lag p50 %.1f ms"
              + " p99 %.1f ms, %d updates%n",
          api,
          children,
          writes,
          result.writesPerSecond(),
          result.eventsPerSecond(),
          result.p50Millis(),
          result.p99Millis(),
          result.updates());
      return result;
    } finally {
      consumer.shutdownNow();
      consumer.awaitTermination(10, TimeUnit.SECONDS);
      try (Store cleanup = EtcdV2Store.open(endpoints, EtcdV2Config.defaults())) {
        cleanup.deleteTree(dir);
      }
    }
  }

  /** Marks write {@code w<i>} seen (the first time), from the consumer thread. */
  private static void record(KVPair pair, long at, long[] seenAt, Runnable seen) {
    String value = pair.valueAsString();
    if (!value.startsWith("w")) {
      return;
    }
    int i = Integer.parseInt(value.substring(1));
    synchronized (seenAt) {
      if (seenAt[i] != 0) {
        return;
      }
      seenAt[i] = at;
    }
    seen.run();
  }

  private static String child(String dir, int i) {
    return dir + "/" + String.format("c%05d", i);
  }

  interface IndexedTask {
    void run(int i) throws Exception;
  }

  /** Runs {@code task(0..count-1)} on 16 threads and waits (bounded) for all of it. */
  static void parallel(int count, IndexedTask task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(WRITERS, daemon("bench-writer"));
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int n = i;
        futures.add(
            pool.submit(
                () -> {
                  task.run(n);
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get(DELIVERY_LIMIT.toSeconds(), TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicLong n = new AtomicLong();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
