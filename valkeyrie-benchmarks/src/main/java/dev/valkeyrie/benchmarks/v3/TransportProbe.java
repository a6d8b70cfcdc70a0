package dev.valkeyrie.benchmarks.v3;

import dev.valkeyrie.benchmarks.BenchmarkMain;
import dev.valkeyrie.benchmarks.ClosedLoop;
import dev.valkeyrie.benchmarks.JvmStats;
import dev.valkeyrie.benchmarks.ServerCpu;
import dev.valkeyrie.etcd.launcher.EtcdCluster;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.Histogram;

/**
 * The etcd v3 transport comparison: grpc-java used directly (valkeyrie-etcdv3's generated stubs)
 * against jetcd 0.8.5, one after the other on one etcd 3.4 member that the run starts on 127.0.0.1
 * and removes again. Measures GET serializable, GET linearizable and PUT (100-byte values) in a
 * closed loop at several concurrencies, then 1,000 watches on 1,000 keys with one change to each
 * key, the threads and heap the client holds meanwhile, and the jars each client pulls in. Writes a
 * markdown table. {@code bin/v3-transports} runs it.
 *
 * <pre>
 *   --quick             1 s warm-up and 2 s measured per cell instead of 2 s and 5 s, one round
 *   --rounds N          how often to measure the whole table and the watches (default 3)
 *   --out FILE          the markdown file (default valkeyrie-benchmarks/results/v3-transports.md)
 *   --tree FILE         mvn dependency:tree -Dverbose output (default
 *                       valkeyrie-benchmarks/target/dependency-tree.txt)
 *   --classpath FILE    the run's class path, ':'-separated (default: this JVM's)
 * </pre>
 *
 * <p>Every loop is bounded in count and time and stops by itself; only 127.0.0.1 is contacted.
 */
public final class TransportProbe {
  private static final Duration CREATE_LIMIT = Duration.ofSeconds(60);
  private static final Duration DELIVERY_LIMIT = Duration.ofSeconds(60);
  private static final int WRITERS = 16;

  /** What to run. */
  public record Options(
      String mode,
      List<V3Workload> workloads,
      List<Integer> concurrencies,
      Duration warmup,
      Duration measure,
      int watches,
      int rounds,
      Path tree,
      List<String> classPath) {

    public static Options full() {
      return new Options(
          "full",
          List.of(V3Workload.values()),
          List.of(1, 16, 64),
          Duration.ofSeconds(2),
          Duration.ofSeconds(5),
          1000,
          3,
          defaultTree(),
          jvmClassPath());
    }

    public static Options quick() {
      Options full = full();
      return new Options(
          "quick",
          full.workloads(),
          full.concurrencies(),
          Duration.ofSeconds(1),
          Duration.ofSeconds(2),
          full.watches(),
          1,
          full.tree(),
          full.classPath());
    }

    Options with(int rounds, Path tree, List<String> classPath) {
      return new Options(
          mode, workloads, concurrencies, warmup, measure, watches, rounds, tree, classPath);
    }

    static Path defaultTree() {
      return Path.of("valkeyrie-benchmarks", "target", "dependency-tree.txt");
    }

    static List<String> jvmClassPath() {
      return Arrays.asList(System.getProperty("java.class.path").split(java.io.File.pathSeparator));
    }
  }

  /** One measured cell. */
  public record Cell(
      int round, String client, V3Workload workload, int concurrency, ClosedLoop.Result r) {}

  /**
   * One round of changes, one to each watched key.
   *
   * @param writesMillis from the first write's start until the last write was answered
   * @param allSeenMillis from the first write's start until every watcher had seen its change
   * @param p50Millis lag of a change: from the start of its write until its watcher saw it
   */
  public record Delivery(
      String how,
      long seen,
      double writesMillis,
      double allSeenMillis,
      double p50Millis,
      double p99Millis,
      double maxMillis) {}

  /**
   * The watch test of one client.
   *
   * @param serverStreams etcd's count of open watch streams with every watch open
   * @param serverWatchers etcd's count of watchers, likewise
   * @param createMillis from the first create request until etcd had confirmed every watch
   * @param threadsAlive live threads in this JVM with every watch open
   * @param threadsAdded of those, the ones started since just before the client was opened
   * @param threadGroups the added threads by name, digits folded to '#'
   * @param heapBytes heap the client and its watches hold after collection
   */
  public record WatchRun(
      int round,
      String client,
      int watches,
      long serverStreams,
      long serverWatchers,
      double createMillis,
      int threadsAlive,
      int threadsAdded,
      Map<String, Integer> threadGroups,
      long heapBytes,
      List<Delivery> deliveries) {}

  /** Everything one run measured. */
  public record Results(
      Options options,
      Instant started,
      Duration elapsed,
      String etcdVersion,
      List<Cell> cells,
      List<WatchRun> watchRuns,
      List<Footprint.Jars> footprints,
      String loadAverages) {}

  private static final List<String> CLIENTS = List.of(GrpcJavaTransport.NAME, JetcdTransport.NAME);

  private TransportProbe() {}

  public static void main(String[] args) throws Exception {
    Options options = Options.full();
    Path out = Path.of("valkeyrie-benchmarks", "results", "v3-transports.md");
    Path tree = options.tree();
    List<String> classPath = options.classPath();
    Integer rounds = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> options = Options.quick();
        case "--rounds" -> rounds = Integer.valueOf(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        case "--tree" -> tree = Path.of(args[++i]);
        case "--classpath" ->
            classPath = Arrays.asList(Files.readString(Path.of(args[++i])).strip().split(":"));
        default -> {
          System.err.println(
              "unknown argument "
                  + args[i]
                  + " (use --quick, --rounds N, --out FILE, --tree FILE, --classpath FILE)");
          System.exit(2);
        }
      }
    }
    options = options.with(rounds == null ? options.rounds() : rounds, tree, classPath);
    Results results = run(options, System.out);
    String markdown = markdown(results);
    System.out.println();
    System.out.println(markdown);
    if (out.getParent() != null) {
      Files.createDirectories(out.getParent());
    }
    Files.writeString(out, markdown);
    System.out.println("wrote " + out);
  }

  static V3Transport open(String client, String endpoint) {
    return switch (client) {
      case GrpcJavaTransport.NAME -> new GrpcJavaTransport(endpoint);
      case JetcdTransport.NAME -> new JetcdTransport(endpoint);
      default -> throw new IllegalArgumentException(client);
    };
  }

  /** Runs every section. Each loop in them is bounded in count and time. */
  public static Results run(Options options, PrintStream log) throws Exception {
    Instant started = Instant.now();
    long start = System.nanoTime();
    String loadAtStart = BenchmarkMain.loadAverage();
    List<Footprint.Jars> footprints = footprints(options, log);
    List<Cell> cells = new ArrayList<>();
    List<WatchRun> watchRuns = new ArrayList<>();
    try (EtcdCluster etcd = EtcdCluster.builder().members(1).name("v3-probe").build().start()) {
      String endpoint = etcd.clientEndpoints().get(0);
      ServerCpu server = ServerCpu.ofProcess(etcd.member(0).pid());
      log.println("etcd at " + endpoint + "; " + options.mode() + " run");
      try (GatewayWriter writer = new GatewayWriter(endpoint)) {
        writer.put(V3Workload.GET_KEY, V3Workload.VALUE);
        writer.put(V3Workload.PUT_KEY, V3Workload.VALUE);
      }
      log.println("load (one client at a time):");
      // Warm every client's code up once (JIT, class loading) before any cell is measured.
      for (String client : CLIENTS) {
        try (V3Transport t = open(client, endpoint)) {
          for (V3Workload workload : options.workloads()) {
            ClosedLoop.drive(
                client,
                workload.label(),
                () -> t.call(workload),
                8,
                Duration.ZERO,
                options.warmup(),
                ServerCpu.NONE);
          }
        }
      }
      for (int round = 1; round <= options.rounds(); round++) {
        for (V3Workload workload : options.workloads()) {
          for (int concurrency : options.concurrencies()) {
            for (String client : order(round)) {
              try (V3Transport t = open(client, endpoint)) {
                ClosedLoop.Result r =
                    ClosedLoop.drive(
                        client,
                        workload.label(),
                        () -> t.call(workload),
                        concurrency,
                        options.warmup(),
                        options.measure(),
                        server);
                cells.add(new Cell(round, client, workload, concurrency, r));
                log.printf(
                    Locale.ROOT,
                    "  round %d  %-17s c=%-3d %-10s %8.0f ops/s  p50 %7.0f us  p99 %7.0f us"
                        + "  cpu %5.1f us/op  etcd %5.1f us/op%s%n",
                    round,
                    workload.label(),
                    concurrency,
                    client,
                    r.opsPerSecond(),
                    r.p50Micros(),
                    r.p99Micros(),
                    r.cpuMicrosPerOp(),
                    r.serverCpuMicrosPerOp(),
                    r.errors() > 0 ? "  errors " + r.errors() : "");
              }
            }
          }
        }
      }
    }
    // A fresh member for the watches, as in the v2 benchmark: the load leaves etcd with a long
    // raft log whose snapshots would pause at random in the watch figures.
    try (EtcdCluster etcd =
        EtcdCluster.builder().members(1).name("v3-probe-watch").build().start()) {
      String endpoint = etcd.clientEndpoints().get(0);
      log.println("watches (etcd at " + endpoint + "):");
      for (int round = 1; round <= options.rounds(); round++) {
        for (String client : order(round)) {
          watchRuns.add(watchRun(round, client, endpoint, options.watches(), log));
        }
      }
    }
    return new Results(
        options,
        started,
        Duration.ofNanos(System.nanoTime() - start),
        etcdVersion(),
        cells,
        watchRuns,
        footprints,
        loadAtStart + " at the start, " + BenchmarkMain.loadAverage() + " at the end");
  }

  /** The clients in turn, the first one alternating from round to round. */
  static List<String> order(int round) {
    return round % 2 == 1 ? CLIENTS : List.of(CLIENTS.get(1), CLIENTS.get(0));
  }

  static List<Footprint.Jars> footprints(Options options, PrintStream log) throws Exception {
    if (!Files.isRegularFile(options.tree())) {
      log.println("no dependency tree at " + options.tree() + ": jar counts skipped");
      return List.of();
    }
    Footprint footprint = new Footprint(options.tree(), options.classPath());
    List<Footprint.Jars> jars =
        List.of(
            // The transport is the generated stubs plus grpc; the Store API jar is not part of it.
            footprint.of("dev.valkeyrie:valkeyrie-etcdv3", Set.of("dev.valkeyrie:valkeyrie-store")),
            footprint.of("io.etcd:jetcd-core", Set.of()));
    for (Footprint.Jars j : jars) {
      log.printf(
          Locale.ROOT,
          "  %s: %d jars, %s%s%n",
          j.root(),
          j.count(),
          JvmStats.mib(j.bytes()),
          j.missing().isEmpty() ? "" : " (not on the class path: " + j.missing() + ")");
    }
    return jars;
  }

  static WatchRun watchRun(int round, String client, String endpoint, int watches, PrintStream log)
      throws Exception {
    List<String> keys = new ArrayList<>(watches);
    for (int i = 0; i < watches; i++) {
      keys.add(String.format(Locale.ROOT, "probe/watch/%s/r%d/key-%04d", client, round, i));
    }
    ExecutorService writers =
        Executors.newFixedThreadPool(
            WRITERS,
            r -> {
              Thread t = new Thread(r, "probe-writer");
              t.setDaemon(true);
              return t;
            });
    try (GatewayWriter writer = new GatewayWriter(endpoint)) {
      // Start the writer's threads and connections now, so they count in the baseline.
      parallel(writers, WRITERS, i -> writer.revision());
      long startRevision = writer.revision() + 1;
      awaitQuietThreads();
      long heapBefore = JvmStats.heapAfterGc();
      Set<Long> before = threadIds();

      // Change n (0, 1) of a key is the n-th PUT event its watcher sees (etcd keeps their order).
      AtomicIntegerArray events = new AtomicIntegerArray(watches);
      AtomicLongArray[] seen = {new AtomicLongArray(watches), new AtomicLongArray(watches)};
      CountDownLatch[] changes = {new CountDownLatch(watches), new CountDownLatch(watches)};
      try (V3Transport transport = open(client, endpoint)) {
        long createStart = System.nanoTime();
        V3Transport.Watches open =
            transport.watchEach(
                keys,
                startRevision,
                index -> {
                  int change = events.incrementAndGet(index) - 1;
                  if (change < seen.length
                      && seen[change].compareAndSet(index, 0, System.nanoTime())) {
                    changes[change].countDown();
                  }
                },
                CREATE_LIMIT);
        try {
          double createMillis = (System.nanoTime() - createStart) / 1e6;
          int alive = ManagementFactory.getThreadMXBean().getThreadCount();
          Map<String, Integer> groups = new TreeMap<>();
          int added = 0;
          for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && !before.contains(t.getId())) {
              added++;
              groups.merge(t.getName().replaceAll("\\d+", "#"), 1, Integer::sum);
            }
          }
          long heap = JvmStats.heapAfterGc() - heapBefore;
          long[] gauges = writer.watchGauges();
          log.printf(
              Locale.ROOT,
              "  %-10s %d watches created in %.0f ms; etcd sees %d watch streams, %d watchers;"
                  + " %d threads alive, %d added; %s heap%n",
              client,
              watches,
              createMillis,
              gauges[0],
              gauges[1],
              alive,
              added,
              JvmStats.mib(heap));

          List<Delivery> deliveries = new ArrayList<>();
          // Round 1: every key put on its own, from 16 writer threads.
          long[] started = new long[watches];
          long t0 = System.nanoTime();
          parallel(
              writers,
              watches,
              i -> {
                started[i] = System.nanoTime();
                writer.put(keys.get(i), V3Workload.VALUE);
              });
          deliveries.add(
              delivery(
                  client,
                  String.format(Locale.ROOT, "%,d puts from %d threads", watches, WRITERS),
                  started,
                  t0,
                  System.nanoTime(),
                  seen[0],
                  changes[0],
                  log));
          // Round 2: a burst, the keys in txns of 100 puts sent all at once (10 revisions).
          int perTxn = Math.min(100, watches);
          int txns = (watches + perTxn - 1) / perTxn;
          long t1 = System.nanoTime();
          parallel(
              writers,
              txns,
              n -> {
                long at = System.nanoTime();
                int from = n * perTxn;
                int to = Math.min(watches, from + perTxn);
                for (int i = from; i < to; i++) {
                  started[i] = at;
                }
                writer.putAll(keys.subList(from, to), V3Workload.VALUE);
              });
          deliveries.add(
              delivery(
                  client,
                  "burst: " + txns + " txns of " + perTxn + " puts at once",
                  started,
                  t1,
                  System.nanoTime(),
                  seen[1],
                  changes[1],
                  log));
          return new WatchRun(
              round,
              client,
              watches,
              gauges[0],
              gauges[1],
              createMillis,
              alive,
              added,
              groups,
              heap,
              deliveries);
        } finally {
          open.close();
        }
      }
    } finally {
      writers.shutdownNow();
      writers.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  private static Delivery delivery(
      String client,
      String how,
      long[] started,
      long writeStart,
      long writesDone,
      AtomicLongArray seen,
      CountDownLatch all,
      PrintStream log)
      throws InterruptedException {
    int watches = started.length;
    if (!all.await(DELIVERY_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
      log.printf(
          "  %s: only %d of %d changes arrived within %s%n",
          client, watches - all.getCount(), watches, DELIVERY_LIMIT);
    }
    Histogram lags = new Histogram(TimeUnit.SECONDS.toMicros(120), 3);
    long last = 0;
    for (int i = 0; i < watches; i++) {
      long at = seen.get(i);
      if (at != 0) {
        lags.recordValue(Math.max(1, (at - started[i]) / 1000));
        last = Math.max(last, at);
      }
    }
    Delivery d =
        new Delivery(
            how,
            lags.getTotalCount(),
            (writesDone - writeStart) / 1e6,
            last == 0 ? -1 : (last - writeStart) / 1e6,
            lags.getValueAtPercentile(50) / 1000.0,
            lags.getValueAtPercentile(99) / 1000.0,
            lags.getMaxValue() / 1000.0);
    log.printf(
        Locale.ROOT,
        "  %-10s %s: %d of %d seen; writes took %.0f ms, every watcher had its change after"
            + " %.0f ms; lag p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
        client,
        how,
        d.seen(),
        watches,
        d.writesMillis(),
        d.allSeenMillis(),
        d.p50Millis(),
        d.p99Millis(),
        d.maxMillis());
    return d;
  }

  /** Runs {@code task(0..count-1)} on {@code pool} and waits for all of them. */
  private static void parallel(ExecutorService pool, int count, Task task) throws Exception {
    List<Future<?>> futures = new ArrayList<>(count);
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
  }

  @FunctionalInterface
  private interface Task {
    void run(int i) throws Exception;
  }

  /**
   * Waits (at most 10 s) until the threads a closed client leaves behind for a moment are gone:
   * grpc-java releases its shared event loop, executor and timer about a second after the last
   * channel closed.
   */
  private static void awaitQuietThreads() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline && clientThreads() > 0) {
      Thread.sleep(100);
    }
  }

  private static long clientThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(
            n ->
                n.startsWith("grpc-")
                    || n.startsWith("vert.x-")
                    || n.startsWith("vertx-")
                    || n.startsWith("globalEventExecutor")
                    || n.startsWith("jetcd-"))
        .count();
  }

  private static Set<Long> threadIds() {
    Set<Long> ids = new HashSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      ids.add(t.getId());
    }
    return ids;
  }

  static String etcdVersion() {
    String binary = System.getenv().getOrDefault("VALKEYRIE_ETCD_BINARY", "/usr/bin/etcd");
    try {
      Process p = new ProcessBuilder(binary, "--version").redirectErrorStream(true).start();
      String out =
          new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
      return out.lines().findFirst().orElse("etcd").replace("etcd Version: ", "etcd ");
    } catch (java.io.IOException e) {
      return "etcd (version unknown)";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "etcd (version unknown)";
    }
  }

  // ---------------------------------------------------------------- report

  static String markdown(Results results) {
    StringBuilder md = new StringBuilder();
    Options o = results.options();
    md.append("# etcd v3 transports: grpc-java directly against jetcd\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "Written by `bin/v3-transports%s` on %s UTC in %d s (%s run). Machine: %d cores, shared"
                + " with other work (etcd, the client and the writer all run on it); Java %s; %s;"
                + " load average (1 / 5 / 15 min) %s.%n%n",
            o.mode().equals("quick") ? " --quick" : "",
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss")
                .withZone(ZoneOffset.UTC)
                .format(results.started()),
            results.elapsed().toSeconds(),
            o.mode(),
            Runtime.getRuntime().availableProcessors(),
            System.getProperty("java.version"),
            results.etcdVersion(),
            results.loadAverages()));
    md.append(
        "Clients: **grpc-java "
            + GrpcVersions.GRPC
            + "** (grpc-netty-shaded, protobuf-java "
            + GrpcVersions.PROTOBUF
            + ", valkeyrie-etcdv3's stubs generated from etcd 3.4's protos),"
            + " blocking stubs on one `ManagedChannel`; **jetcd "
            + GrpcVersions.JETCD
            + "**, whose"
            + " futures are waited on. Both: plaintext, maxInboundMessageSize 64 MiB, keepAliveTime"
            + " 30 s, keepAliveTimeout 10 s, keepAliveWithoutCalls false, a 10 s deadline per call."
            + " In this module jetcd runs on grpc "
            + GrpcVersions.GRPC
            + " (grpc-netty, unshaded) and netty "
            + GrpcVersions.NETTY
            + " instead of its own grpc 1.70.0, since one class path holds one grpc.\n\n");
    md.append(
        "**Noise:** a shared 2-core machine, where etcd, the client under test and the"
            + " load threads compete for the same cores, and other jobs may run at the same time."
            + " Differences under about 20 % and every p99 are within the noise; repeat a run before"
            + " drawing conclusions from close figures.\n\n");

    md.append("## Requests\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "One etcd 3.4 member on 127.0.0.1 started by the run; values of 100 bytes; each cell %d s"
                + " warm-up then %d s measured, N threads each looping blocking calls (closed loop);"
                + " the clients one after the other, each with a fresh client per cell, the whole"
                + " table %s, the client that goes first alternating between rounds. Ops/s: %s."
                + " Latency percentiles from HdrHistogram over every measured request%s. CPU: this"
                + " JVM's, and etcd's, CPU time per request over the measured window%s.%n%n",
            o.warmup().toSeconds(),
            o.measure().toSeconds(),
            o.rounds() == 1 ? "measured once" : "measured in " + o.rounds() + " rounds",
            o.rounds() == 1 ? "of the one round" : "the median of the rounds (lowest–highest)",
            o.rounds() == 1 ? "" : ", median of the rounds",
            o.rounds() == 1 ? "" : " (median)"));
    md.append(
        "| workload | conc. | grpc-java ops/s | grpc-java p50 / p99 ms | jetcd ops/s"
            + " | jetcd p50 / p99 ms | jetcd / grpc-java ops | client CPU µs/op grpc-java / jetcd"
            + " | etcd CPU µs/op grpc-java / jetcd |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (V3Workload w : o.workloads()) {
      for (int c : o.concurrencies()) {
        List<ClosedLoop.Result> g = cells(results, GrpcJavaTransport.NAME, w, c);
        List<ClosedLoop.Result> j = cells(results, JetcdTransport.NAME, w, c);
        if (g.isEmpty() || j.isEmpty()) {
          continue;
        }
        double gOps = median(g, ClosedLoop.Result::opsPerSecond);
        double jOps = median(j, ClosedLoop.Result::opsPerSecond);
        md.append(
            String.format(
                Locale.ROOT,
                "| %s | %d | %s | %s / %s | %s | %s / %s | %.2f | %s / %s | %s / %s |%n",
                w.label(),
                c,
                opsSpread(g),
                ms(median(g, ClosedLoop.Result::p50Micros)),
                ms(median(g, ClosedLoop.Result::p99Micros)),
                opsSpread(j),
                ms(median(j, ClosedLoop.Result::p50Micros)),
                ms(median(j, ClosedLoop.Result::p99Micros)),
                jOps / gOps,
                us(median(g, ClosedLoop.Result::cpuMicrosPerOp)),
                us(median(j, ClosedLoop.Result::cpuMicrosPerOp)),
                us(median(g, ClosedLoop.Result::serverCpuMicrosPerOp)),
                us(median(j, ClosedLoop.Result::serverCpuMicrosPerOp))));
      }
    }
    long errors = results.cells().stream().mapToLong(c -> c.r().errors()).sum();
    md.append(errors == 0 ? "\nNo request failed.\n\n" : "\n" + errors + " requests failed.\n\n");

    md.append("## 1,000 watches on 1,000 keys\n\n");
    md.append(
        "A fresh member. Each client opens one watch per key from the current revision + 1"
            + " (grpc-java: ONE bidi Watch stream multiplexing client-chosen watch_ids with"
            + " fragment=true; jetcd: its normal `watch` API, with createNotify to know when each is"
            + " confirmed). Then every key is changed once, twice over: first by 1,000 single puts"
            + " from 16 writer threads, then as a burst of 10 txns of 100 puts sent at once. The"
            + " writes go through etcd's JSON gateway with the JDK HTTP client, so neither transport's"
            + " threads or heap are mixed in. Lag: from the start of a key's write until its watcher"
            + " saw the event. Streams and watchers: etcd's own gauges"
            + " (`etcd_debugging_mvcc_watch_stream_total`, `..._watcher_total`) with every watch open."
            + " Threads: live threads in the probe JVM with every watch open, and those started since"
            + " just before the client was opened. Heap: after collection, with every watch open,"
            + " minus the heap before.\n\n");
    md.append(
        "| round | client | etcd: streams / watchers | all created in ms"
            + " | threads alive (added) | heap held |\n");
    md.append("|---:|---|---:|---:|---:|---:|\n");
    for (WatchRun r : sortedRuns(results)) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %d | %s | %d / %d | %.0f | %d (%d) | %s |%n",
              r.round(),
              r.client(),
              r.serverStreams(),
              r.serverWatchers(),
              r.createMillis(),
              r.threadsAlive(),
              r.threadsAdded(),
              JvmStats.mib(r.heapBytes())));
    }
    md.append(
        "\n| round | client | changes | seen | writes took ms"
            + " | every watcher saw its change after ms | lag p50 / p99 / max ms |\n");
    md.append("|---:|---|---|---:|---:|---:|---:|\n");
    for (WatchRun r : sortedRuns(results)) {
      for (Delivery d : r.deliveries()) {
        md.append(
            String.format(
                Locale.ROOT,
                "| %d | %s | %s | %d of %d | %.0f | %.0f | %s / %s / %s |%n",
                r.round(),
                r.client(),
                d.how(),
                d.seen(),
                r.watches(),
                d.writesMillis(),
                d.allSeenMillis(),
                ms(d.p50Millis() * 1000),
                ms(d.p99Millis() * 1000),
                ms(d.maxMillis() * 1000)));
      }
    }
    md.append("\nThreads each client added, by name (round 1):\n\n");
    for (WatchRun r : sortedRuns(results)) {
      if (r.round() != 1) {
        continue;
      }
      md.append("* " + r.client() + ": ");
      List<String> parts = new ArrayList<>();
      r.threadGroups().forEach((name, n) -> parts.add("`" + name + "` × " + n));
      md.append(parts.isEmpty() ? "none" : String.join(", ", parts)).append("\n");
    }

    md.append("\n## Jars\n\n");
    if (results.footprints().isEmpty()) {
      md.append("Not computed (no dependency tree).\n");
    } else {
      md.append(
          "The runtime closure of each client in this module's dependency tree (versions as"
              + " resolved here, after the module's dependencyManagement), with the sizes of the"
              + " files the run used. grpc-java counts valkeyrie-etcdv3 itself (the generated"
              + " messages and stubs) but not valkeyrie-store.\n\n");
      md.append("| client | jars | total size | artifacts |\n|---|---:|---:|---|\n");
      for (Footprint.Jars j : results.footprints()) {
        md.append(
            String.format(
                Locale.ROOT,
                "| %s | %d | %s | %s |%n",
                j.root(),
                j.count(),
                JvmStats.mib(j.bytes()),
                String.join(
                    ", ",
                    j.artifacts().stream().map(a -> a.substring(a.indexOf(':') + 1)).toList())));
      }
      if (results.footprints().size() == 2) {
        md.append(
            "\nShared by both: "
                + Footprint.shared(results.footprints().get(0), results.footprints().get(1)).size()
                + " artifacts.\n");
      }
    }
    return md.toString();
  }

  private static List<ClosedLoop.Result> cells(
      Results results, String client, V3Workload w, int c) {
    return results.cells().stream()
        .filter(x -> x.client().equals(client) && x.workload() == w && x.concurrency() == c)
        .map(Cell::r)
        .toList();
  }

  private static List<WatchRun> sortedRuns(Results results) {
    return results.watchRuns().stream()
        .sorted(java.util.Comparator.comparing(WatchRun::client).thenComparingInt(WatchRun::round))
        .toList();
  }

  /** The median (the mean of the middle two for an even count). */
  static double median(
      List<ClosedLoop.Result> results,
      java.util.function.ToDoubleFunction<ClosedLoop.Result> field) {
    double[] v = results.stream().mapToDouble(field).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static String opsSpread(List<ClosedLoop.Result> results) {
    double median = median(results, ClosedLoop.Result::opsPerSecond);
    if (results.size() == 1) {
      return ops(median);
    }
    double low = results.stream().mapToDouble(ClosedLoop.Result::opsPerSecond).min().orElse(0);
    double high = results.stream().mapToDouble(ClosedLoop.Result::opsPerSecond).max().orElse(0);
    return ops(median) + " (" + ops(low) + "–" + ops(high) + ")";
  }

  private static String ops(double v) {
    return String.format(Locale.ROOT, "%,.0f", v);
  }

  private static String ms(double micros) {
    double ms = micros / 1000.0;
    return ms >= 10
        ? String.format(Locale.ROOT, "%.0f", ms)
        : String.format(Locale.ROOT, "%.2f", ms);
  }

  private static String us(double v) {
    return v < 0 ? "–" : String.format(Locale.ROOT, "%.0f", v);
  }
}
