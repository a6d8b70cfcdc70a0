package dev.valkeyrie.benchmarks.v3;

import dev.valkeyrie.benchmarks.ClosedLoop;
import dev.valkeyrie.benchmarks.Measurement;
import dev.valkeyrie.benchmarks.ServerCpu;
import dev.valkeyrie.etcdv3.EtcdV3Store;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * The v3 table (issue 14): for every row, etcd's Go client (the reference), valkeyrie-etcdv3
 * through its blocking API from N threads, and jetcd, one after the other (never at the same time),
 * each with a fresh client, against the same etcd member.
 */
public final class V3Speed {

  /** One row of the table. */
  public record Row(V3Load workload, int concurrency) {}

  /** What to run, and how long. */
  public record Settings(List<Row> rows, Duration warmup, Duration measure) {

    /** The rows of issue 14. */
    public static List<Row> issueRows() {
      return List.of(
          new Row(V3Load.GET_SERIALIZABLE, 1),
          new Row(V3Load.GET_SERIALIZABLE, 16),
          new Row(V3Load.GET_SERIALIZABLE, 64),
          new Row(V3Load.GET_LINEARIZABLE, 16),
          new Row(V3Load.GET_LINEARIZABLE, 64),
          new Row(V3Load.PUT_100B, 1),
          new Row(V3Load.PUT_100B, 16),
          new Row(V3Load.PUT_100B, 64),
          new Row(V3Load.RANGE_1000, 16),
          new Row(V3Load.RANGE_1000, 64));
    }
  }

  private record JavaClient(String name, Function<List<String>, V3Client> open) {}

  private static final List<JavaClient> JAVA_CLIENTS =
      List.of(
          new JavaClient(ValkeyrieV3Client.NAME, ValkeyrieV3Client::new),
          new JavaClient(JetcdLoadClient.NAME, JetcdLoadClient::new));

  private V3Speed() {}

  /** Writes the keys the workloads read, through valkeyrie-etcdv3. */
  public static void seed(List<String> endpoints) throws Exception {
    try (ValkeyrieV3Client client = new ValkeyrieV3Client(endpoints)) {
      EtcdV3Store store = client.store();
      store.put(V3Load.GET_KEY, V3Load.VALUE);
      store.put(V3Load.PUT_KEY, V3Load.VALUE);
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<?>> writes = new ArrayList<>();
        for (int i = 0; i < V3Load.LIST_KEYS; i++) {
          int n = i;
          writes.add(pool.submit(() -> store.put(V3Load.listKey(n), V3Load.listValue(n))));
        }
        for (Future<?> write : writes) {
          write.get();
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  /**
   * Runs every row: Go, then valkeyrie-etcdv3, then jetcd.
   *
   * @param module the benchmark module's directory (the Go generator's source and build)
   */
  public static List<Measurement> run(
      List<String> endpoints, Settings settings, Path module, ServerCpu server, PrintStream log)
      throws Exception {
    GoClientV3 go = GoClientV3.build(module);
    // Warm the JVM up once per Java client (JIT, class loading) and etcd with it, so the first
    // measured cells do not pay for compilation.
    for (JavaClient factory : JAVA_CLIENTS) {
      try (V3Client client = factory.open().apply(endpoints)) {
        for (V3Load workload : settings.rows().stream().map(Row::workload).distinct().toList()) {
          ClosedLoop.drive(
              client.name(),
              workload.label(),
              () -> client.call(workload),
              8,
              Duration.ZERO,
              settings.warmup(),
              ServerCpu.NONE);
        }
      }
    }
    List<Measurement> results = new ArrayList<>();
    for (Row row : settings.rows()) {
      results.add(
          report(
              log,
              go.run(
                  endpoints.get(0),
                  row.workload(),
                  row.concurrency(),
                  settings.warmup(),
                  settings.measure(),
                  server)));
      for (JavaClient factory : JAVA_CLIENTS) {
        try (V3Client client = factory.open().apply(endpoints)) {
          ClosedLoop.Result r =
              ClosedLoop.drive(
                  client.name(),
                  row.workload().label(),
                  () -> client.call(row.workload()),
                  row.concurrency(),
                  settings.warmup(),
                  settings.measure(),
                  server);
          results.add(
              report(
                  log,
                  new Measurement(
                      client.name(),
                      row.workload(),
                      row.concurrency(),
                      r.opsPerSecond(),
                      r.p50Micros(),
                      r.p99Micros(),
                      r.operations(),
                      r.errors(),
                      r.cpuMicrosPerOp(),
                      r.serverCpuMicrosPerOp())));
        }
      }
    }
    return results;
  }

  private static Measurement report(PrintStream log, Measurement m) {
    log.printf(
        "  %-22s c=%-3d %-17s %8.0f ops/s  p50 %7.0f us  p99 %7.0f us  cpu %5.1f us/op%s%n",
        m.workload().label(),
        m.concurrency(),
        m.client(),
        m.opsPerSecond(),
        m.p50Micros(),
        m.p99Micros(),
        m.cpuMicrosPerOp(),
        m.errors() > 0 ? "  errors " + m.errors() : "");
    return m;
  }
}
