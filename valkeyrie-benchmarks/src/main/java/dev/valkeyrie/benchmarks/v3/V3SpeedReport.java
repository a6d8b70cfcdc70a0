package dev.valkeyrie.benchmarks.v3;

import dev.valkeyrie.benchmarks.Measurement;
import dev.valkeyrie.benchmarks.Report;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Renders the v3 table as {@code v3-speed.md}: ratios to Go per cell and the goals. */
public final class V3SpeedReport {
  /** The chart's file name, next to the markdown. */
  public static final String CHART = "throughput-v3.png";

  private V3SpeedReport() {}

  /** The chart's title. */
  public static String chartTitle() {
    return "Throughput against concurrency: valkeyrie-etcdv3, jetcd and etcd's Go client,"
        + " one local etcd v3 member";
  }

  /** Machine, JDK, etcd and Go versions, in one line. */
  public static String environment() {
    return Runtime.getRuntime().availableProcessors()
        + " cores shared by etcd and the client; Java "
        + System.getProperty("java.version")
        + "; "
        + Report.firstLine(
                List.of(
                    System.getenv().getOrDefault("VALKEYRIE_ETCD_BINARY", "/usr/bin/etcd"),
                    "--version"))
            .replace("etcd Version: ", "etcd ")
        + "; "
        + Report.firstLine(List.of("go", "version")).replace("go version ", "");
  }

  public static String markdown(
      List<Measurement> results,
      V3Speed.Settings settings,
      String mode,
      Instant started,
      Duration elapsed,
      String loadAverages) {
    StringBuilder out = new StringBuilder();
    out.append("# etcd v3: valkeyrie-etcdv3 against etcd's Go client and jetcd\n\n");
    out.append("Written by `bin/benchmark")
        .append(mode.equals("quick") ? " --quick" : "")
        .append(" --only v3` on ")
        .append(
            DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(
                started.atOffset(ZoneOffset.UTC).withNano(0)))
        .append(" UTC in ")
        .append(elapsed.toSeconds())
        .append(" s. ")
        .append(environment())
        .append("; load average (1 / 5 / 15 min) ")
        .append(loadAverages)
        .append(".\n\n");
    out.append(
            "One etcd 3.4 member on 127.0.0.1, started by the run; values of 100 bytes. Clients:"
                + " **Go clientv3** (etcd 3.4's own client, Debian's golang-etcd-server-dev, N"
                + " goroutines sharing one client, a child process per cell,"
                + " `src/go/clientv3load`); **valkeyrie-etcdv3** (`Store` from N threads, default"
                + " settings); **jetcd 0.8.5** (N threads waiting on its futures). All: plaintext,"
                + " one client per cell, 64 MiB inbound, keep-alive pings only with calls, a 10 s"
                + " deadline per request. Measured one after the other, never together, in that"
                + " order. Each cell: ")
        .append(settings.warmup().toMillis())
        .append(" ms warm-up, then ")
        .append(settings.measure().toMillis())
        .append(
            " ms measured; closed loop. The range reads `[bench/list/, bench/list0)`"
                + " serializable (`Store.list` with `consistent(false)`; valkeyrie reads it in"
                + " pages of its page size). The ratio is the client's ops/s over Go's; at"
                + " concurrency 1 also its p50 over Go's.\n\n");
    out.append(Report.table(results, GoClientV3.NAME, "Go")).append('\n');
    out.append("![throughput against concurrency](").append(CHART).append(")\n\n");
    out.append(goals(results)).append('\n');
    out.append("Client CPU per request (µs, whole process, measured window; lower is better):\n\n");
    out.append(Report.perRequestTable(results, Measurement::cpuMicrosPerOp)).append('\n');
    out.append("etcd's CPU per request (µs, the etcd process over the same window):\n\n");
    out.append(Report.perRequestTable(results, Measurement::serverCpuMicrosPerOp)).append('\n');
    long errors = results.stream().mapToLong(Measurement::errors).sum();
    out.append(errors == 0 ? "No request failed.\n" : errors + " requests failed.\n");
    return out.toString();
  }

  /**
   * Issue 14's goals, cell by cell: valkeyrie at least Go's throughput at concurrency 16 and 64,
   * its median latency at concurrency 1 within 1.2 times Go's, and at least twice jetcd's
   * throughput.
   */
  static String goals(List<Measurement> results) {
    StringBuilder out =
        new StringBuilder(
            "Goals of issue 14 (≥ 1.00 × Go at c16/c64, c1 p50 ≤ 1.20 × Go's, ≥ 2 × jetcd):\n\n"
                + "| workload | conc. | valkeyrie / Go ops | valkeyrie / jetcd ops | c1 p50"
                + " valkeyrie / Go | met |\n|---|---:|---:|---:|---:|---|\n");
    results.stream()
        .filter(m -> m.client().equals(ValkeyrieV3Client.NAME))
        .forEach(
            v -> {
              Optional<Measurement> go = cell(results, GoClientV3.NAME, v);
              Optional<Measurement> jetcd = cell(results, JetcdLoadClient.NAME, v);
              double toGo = go.map(g -> v.opsPerSecond() / g.opsPerSecond()).orElse(Double.NaN);
              double toJetcd =
                  jetcd.map(j -> v.opsPerSecond() / j.opsPerSecond()).orElse(Double.NaN);
              double p50 =
                  v.concurrency() == 1
                      ? go.map(g -> v.p50Micros() / g.p50Micros()).orElse(Double.NaN)
                      : Double.NaN;
              boolean met = (v.concurrency() == 1 ? p50 <= 1.2 : toGo >= 1.0) && toJetcd >= 2.0;
              out.append(
                  String.format(
                      Locale.ROOT,
                      "| %s | %d | %.2f | %.2f | %s | %s |%n",
                      v.workload().label(),
                      v.concurrency(),
                      toGo,
                      toJetcd,
                      Double.isNaN(p50) ? "–" : String.format(Locale.ROOT, "%.2f", p50),
                      met ? "yes" : "no"));
            });
    return out.toString();
  }

  private static Optional<Measurement> cell(
      List<Measurement> results, String client, Measurement like) {
    return results.stream()
        .filter(
            m ->
                m.client().equals(client)
                    && m.workload() == like.workload()
                    && m.concurrency() == like.concurrency())
        .findFirst();
  }
}
