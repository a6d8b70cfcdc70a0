package dev.valkeyrie.benchmarks;

import dev.valkeyrie.benchmarks.v3.GoClientV3;
import dev.valkeyrie.benchmarks.v3.V3Speed;
import dev.valkeyrie.benchmarks.v3.V3SpeedReport;
import dev.valkeyrie.etcd.launcher.EtcdCluster;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Runs the benchmarks against an etcd member it starts on loopback (and removes again), prints the
 * tables, and writes {@code latest.md} and {@code throughput.png}. {@code bin/benchmark} runs it.
 *
 * <pre>
 *   --quick            shorter runs and fewer concurrency levels: a check in about 4 minutes
 *   --out DIR          where latest.md and throughput.png go (default valkeyrie-benchmarks/results)
 *   --only SECTIONS    comma-separated subset of load,watch,memory,jmh,v3 (default: all)
 * </pre>
 */
public final class BenchmarkMain {

  /** What to run, and how long. */
  public record Options(
      String mode,
      Set<String> sections,
      LoadSuite.Settings load,
      int fanOutWatches,
      int treeChildren,
      int treeWrites,
      int allocationRequests,
      JmhSuite.Settings jmh,
      V3Speed.Settings v3) {

    public static final Set<String> ALL = Set.of("load", "watch", "memory", "jmh", "v3");

    public static Options full() {
      return new Options(
          "full",
          ALL,
          new LoadSuite.Settings(
              List.of(Workload.values()),
              List.of(1, 4, 16, 64),
              Duration.ofSeconds(2),
              Duration.ofSeconds(5),
              true),
          1000,
          10_000,
          5_000,
          2_000,
          JmhSuite.full(),
          new V3Speed.Settings(
              V3Speed.Settings.issueRows(), Duration.ofSeconds(2), Duration.ofSeconds(5)));
    }

    public static Options quick() {
      return new Options(
          "quick",
          ALL,
          new LoadSuite.Settings(
              List.of(Workload.values()),
              List.of(1, 16, 64),
              Duration.ofSeconds(1),
              Duration.ofSeconds(2),
              true),
          1000,
          10_000,
          2_000,
          500,
          JmhSuite.quick(),
          new V3Speed.Settings(
              V3Speed.Settings.issueRows(), Duration.ofSeconds(1), Duration.ofSeconds(2)));
    }

    Options with(Set<String> only) {
      return new Options(
          mode,
          only == null ? sections : only,
          load,
          fanOutWatches,
          treeChildren,
          treeWrites,
          allocationRequests,
          jmh,
          v3);
    }
  }

  /** Everything one run measured; sections not run are empty. */
  public record Results(
      Options options,
      Instant started,
      Duration elapsed,
      List<Measurement> load,
      WatchBenchmarks.FanOut fanOut,
      List<WatchBenchmarks.Tree> trees,
      MemoryBenchmarks.IdleStore idleStore,
      List<MemoryBenchmarks.Allocation> allocations,
      List<JmhSuite.Row> jmh,
      List<Measurement> v3,
      String loadAverages) {

    boolean hasMainSections() {
      return !load.isEmpty() || fanOut != null || idleStore != null || !jmh.isEmpty();
    }
  }

  private BenchmarkMain() {}

  public static void main(String[] args) throws Exception {
    Options options = Options.full();
    Path out = Path.of("valkeyrie-benchmarks", "results");
    Set<String> only = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> options = Options.quick();
        case "--out" -> out = Path.of(args[++i]);
        case "--only" -> only = Set.copyOf(Arrays.asList(args[++i].split(",")));
        default -> {
          System.err.println(
              "unknown argument "
                  + args[i]
                  + " (use --quick, --out DIR, --only load,watch,memory,jmh,v3)");
          System.exit(2);
        }
      }
    }
    Results results = run(options.with(only), System.out);
    write(results, out, System.out);
  }

  /** Runs the selected sections. Each loop in them is bounded in count and time. */
  public static Results run(Options options, PrintStream log) throws Exception {
    Instant started = Instant.now();
    long start = System.nanoTime();
    String loadAtStart = loadAverage();
    Path work = Files.createTempDirectory("valkeyrie-bench-");
    List<Measurement> load = List.of();
    WatchBenchmarks.FanOut fanOut = null;
    List<WatchBenchmarks.Tree> trees = new ArrayList<>();
    MemoryBenchmarks.IdleStore idle = null;
    List<MemoryBenchmarks.Allocation> allocations = List.of();
    try {
      if (options.sections().contains("memory") || options.sections().contains("load")) {
        try (EtcdCluster etcd = EtcdCluster.builder().members(1).name("bench").build().start()) {
          List<String> endpoints = etcd.clientEndpoints();
          log.println("etcd at " + endpoints + "; " + options.mode() + " run");
          LoadSuite.seed(endpoints);
          if (options.sections().contains("memory")) {
            log.println("memory:");
            idle = MemoryBenchmarks.idleStore(endpoints);
            log.printf(
                "  idle store: %s heap, %d threads%n",
                JvmStats.mib(idle.heapBytes()), idle.threads());
            allocations =
                MemoryBenchmarks.allocations(
                    endpoints,
                    LoadSuite.defaultClients(),
                    List.of(Workload.GET_ONE, Workload.PUT_100B, Workload.LIST_1000),
                    options.allocationRequests(),
                    log);
          }
          if (options.sections().contains("load")) {
            log.println("load (one client at a time):");
            load =
                new LoadSuite(endpoints, options.load(), LoadSuite.defaultClients(), work, log)
                    .measuringServer(ServerCpu.ofProcess(etcd.member(0).pid()))
                    .run();
          }
        }
      }
      if (options.sections().contains("watch")) {
        // A fresh member: the load tests leave etcd with a long raft log and snapshots to take,
        // whose pauses would land in the watch figures at random.
        try (EtcdCluster etcd =
            EtcdCluster.builder().members(1).name("bench-watch").build().start()) {
          List<String> endpoints = etcd.clientEndpoints();
          log.println("watches (etcd at " + endpoints + "):");
          fanOut = WatchBenchmarks.fanOut(endpoints, options.fanOutWatches(), log);
          log.printf(
              "  fan-out: %d of %d delivered, lag p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
              fanOut.delivered(),
              fanOut.watches(),
              fanOut.p50Millis(),
              fanOut.p99Millis(),
              fanOut.maxMillis());
          for (String api : List.of("watchTreeEvents", "watchTree")) {
            trees.add(
                WatchBenchmarks.tree(
                    endpoints, api, options.treeChildren(), options.treeWrites(), log));
          }
        }
      }
      List<Measurement> v3 = List.of();
      if (options.sections().contains("v3")) {
        // A fresh member of its own, as for the watches.
        try (EtcdCluster etcd = EtcdCluster.builder().members(1).name("bench-v3").build().start()) {
          List<String> endpoints = etcd.clientEndpoints();
          log.println("v3 (etcd at " + endpoints + "; one client at a time):");
          V3Speed.seed(endpoints);
          v3 =
              V3Speed.run(
                  endpoints,
                  options.v3(),
                  GoClientV3.moduleDirectory(),
                  ServerCpu.ofProcess(etcd.member(0).pid()),
                  log);
        }
      }
      List<JmhSuite.Row> jmh = List.of();
      if (options.sections().contains("jmh")) {
        log.println("JMH (-prof gc):");
        jmh = JmhSuite.run(options.jmh(), log);
      }
      return new Results(
          options,
          started,
          Duration.ofNanos(System.nanoTime() - start),
          load,
          fanOut,
          trees,
          idle,
          allocations,
          jmh,
          v3,
          loadAtStart + " at the start, " + loadAverage() + " at the end");
    } finally {
      Directories.delete(work);
    }
  }

  /** The 1, 5 and 15 minute load averages (Linux), or "unknown". */
  public static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ", -1);
      return parts[0] + " / " + parts[1] + " / " + parts[2];
    } catch (java.io.IOException | RuntimeException e) {
      return "unknown";
    }
  }

  /**
   * Writes latest.md and throughput.png into {@code out} (v2), and v3-speed.md and
   * throughput-v3.png (v3), for the sections that ran.
   */
  public static void write(Results results, Path out, PrintStream log) throws Exception {
    Files.createDirectories(out);
    if (!results.v3().isEmpty()) {
      String markdown =
          V3SpeedReport.markdown(
              results.v3(),
              results.options().v3(),
              results.options().mode(),
              results.started(),
              results.elapsed(),
              results.loadAverages());
      log.println();
      log.println(markdown);
      Chart.write(
          results.v3(),
          V3SpeedReport.chartTitle(),
          V3SpeedReport.environment(),
          out.resolve(V3SpeedReport.CHART));
      Files.writeString(out.resolve("v3-speed.md"), markdown);
      log.println(
          "wrote " + out.resolve("v3-speed.md") + " and " + out.resolve(V3SpeedReport.CHART));
    }
    if (results.hasMainSections()) {
      String markdown = Report.markdown(results);
      log.println();
      log.println(markdown);
      if (!results.load().isEmpty()) {
        Chart.write(results.load(), Report.environment(), out.resolve("throughput.png"));
      }
      Files.writeString(out.resolve("latest.md"), markdown);
      log.println(
          "wrote "
              + out.resolve("latest.md")
              + (results.load().isEmpty() ? "" : " and " + out.resolve("throughput.png")));
    }
  }
}
