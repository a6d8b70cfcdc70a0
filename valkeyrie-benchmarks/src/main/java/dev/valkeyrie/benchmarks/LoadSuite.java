package dev.valkeyrie.benchmarks;

import dev.valkeyrie.etcdv2.EtcdV2Config;
import dev.valkeyrie.etcdv2.EtcdV2Store;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.store.WriteOptions;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * The end-to-end table: for every workload and concurrency, wrk, valkeyrie-java and etcd4j, one
 * after the other (never at the same time), against the same etcd member.
 */
public final class LoadSuite {

  /**
   * What to run.
   *
   * @param wrk whether to run wrk too (it must be installed)
   */
  public record Settings(
      List<Workload> workloads,
      List<Integer> concurrencies,
      Duration warmup,
      Duration measure,
      boolean wrk) {}

  private final List<String> endpoints;
  private final Settings settings;
  private final Path workDir;
  private final PrintStream log;
  private final List<ClientFactory> clients;
  private ServerCpu server = ServerCpu.NONE;

  /** Opens a client on the endpoints. */
  public record ClientFactory(String name, Function<List<String>, BlockingClient> open) {}

  public static List<ClientFactory> defaultClients() {
    return List.of(
        new ClientFactory(ValkeyrieClient.NAME, ValkeyrieClient::new),
        new ClientFactory(Etcd4jClient.NAME, Etcd4jClient::new));
  }

  public LoadSuite(
      List<String> endpoints,
      Settings settings,
      List<ClientFactory> clients,
      Path workDir,
      PrintStream log) {
    this.endpoints = endpoints;
    this.settings = settings;
    this.clients = clients;
    this.workDir = workDir;
    this.log = log;
  }

  /** Writes the keys the workloads read. */
  public static void seed(List<String> endpoints) throws Exception {
    try (Store store = EtcdV2Store.open(endpoints, EtcdV2Config.defaults())) {
      store.put(Workload.GET_ONE.key(), Workload.GET_VALUE.getBytes(StandardCharsets.UTF_8));
      store.put(Workload.PUT_100B.key(), Workload.PUT_VALUE.getBytes(StandardCharsets.UTF_8));
      if (store.exists(Workload.LIST_1000.key())) {
        store.deleteTree(Workload.LIST_1000.key());
      }
      store.put(Workload.LIST_1000.key(), null, WriteOptions.builder().isDir(true).build());
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<?>> writes = new ArrayList<>();
        for (int i = 0; i < Workload.LIST_CHILDREN; i++) {
          int n = i;
          writes.add(
              pool.submit(
                  () ->
                      store.put(
                          Workload.listChild(n),
                          Workload.listValue(n).getBytes(StandardCharsets.UTF_8))));
        }
        for (Future<?> write : writes) {
          write.get();
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  /** Also measures etcd's CPU per request, reading it from {@code server}. */
  public LoadSuite measuringServer(ServerCpu server) {
    this.server = server;
    return this;
  }

  public List<Measurement> run() throws Exception {
    Wrk wrk = null;
    if (settings.wrk()) {
      Path binary = Wrk.find();
      if (binary == null) {
        throw new IllegalStateException(
            "wrk is not installed: run bin/setup (as root it installs Debian's wrk package)");
      }
      wrk = new Wrk(binary, workDir);
    }
    // Warm the JVM up once per client (JIT, class loading, connection pools) and etcd with it, so
    // the first measured cells do not pay for compilation.
    for (ClientFactory factory : clients) {
      try (BlockingClient client = factory.open().apply(endpoints)) {
        for (Workload workload : settings.workloads()) {
          ClosedLoop.run(client, workload, 8, Duration.ZERO, settings.warmup());
        }
      }
    }
    List<Measurement> results = new ArrayList<>();
    for (Workload workload : settings.workloads()) {
      for (int concurrency : settings.concurrencies()) {
        if (wrk != null) {
          results.add(
              report(
                  wrk.run(
                      endpoints.get(0),
                      workload,
                      concurrency,
                      settings.warmup(),
                      settings.measure(),
                      server)));
        }
        for (ClientFactory factory : clients) {
          try (BlockingClient client = factory.open().apply(endpoints)) {
            results.add(
                report(
                    ClosedLoop.run(
                        client,
                        workload,
                        concurrency,
                        settings.warmup(),
                        settings.measure(),
                        server)));
          }
        }
      }
    }
    return results;
  }

  private Measurement report(Measurement m) {
    log.printf(
        "  %-30s c=%-3d %-16s %8.0f ops/s  p50 %7.0f us  p99 %7.0f us%s%s%n",
        m.workload().label(),
        m.concurrency(),
        m.client(),
        m.opsPerSecond(),
        m.p50Micros(),
        m.p99Micros(),
        m.cpuMicrosPerOp() > 0 ? String.format("  cpu %5.1f us/op", m.cpuMicrosPerOp()) : "",
        m.errors() > 0 ? "  errors " + m.errors() : "");
    return m;
  }
}
