package dev.valkeyrie.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/** Renders the results as markdown. */
public final class Report {
  private Report() {}

  /**
   * One row per workload and concurrency: ops/s, p50 and p99 of each client, and each Java client's
   * throughput as a fraction of wrk's (and, at concurrency 1, its median latency as a multiple of
   * wrk's).
   */
  public static String table(List<Measurement> results) {
    return table(results, Wrk.NAME, "wrk");
  }

  /**
   * As {@link #table(List)}, with the ratios to {@code reference}'s figures, its column headed
   * {@code short}.
   */
  public static String table(List<Measurement> results, String reference, String shortName) {
    List<String> clients = new ArrayList<>();
    Map<String, Map<String, Measurement>> rows = new LinkedHashMap<>();
    for (Measurement m : results) {
      if (!clients.contains(m.client())) {
        clients.add(m.client());
      }
      rows.computeIfAbsent(m.workload().label() + "|" + m.concurrency(), k -> new LinkedHashMap<>())
          .put(m.client(), m);
    }
    List<String> javaClients = clients.stream().filter(c -> !c.equals(reference)).toList();
    StringBuilder out = new StringBuilder();
    out.append("| workload | conc. |");
    for (String c : clients) {
      out.append(' ').append(c).append(" ops/s | ").append(c).append(" p50 / p99 ms |");
    }
    boolean hasWrk = clients.contains(reference);
    if (hasWrk) {
      for (String c : javaClients) {
        out.append(' ').append(c).append(" / ").append(shortName).append(" |");
      }
    }
    out.append('\n').append("|---|---:|");
    int columns = clients.size() * 2 + (hasWrk ? javaClients.size() : 0);
    out.append("---:|".repeat(columns)).append('\n');
    for (Map.Entry<String, Map<String, Measurement>> row : rows.entrySet()) {
      String[] parts = row.getKey().split("\\|", -1);
      out.append("| ").append(parts[0]).append(" | ").append(parts[1]).append(" |");
      Map<String, Measurement> cells = row.getValue();
      for (String c : clients) {
        Measurement m = cells.get(c);
        if (m == null) {
          out.append(" – | – |");
        } else {
          out.append(' ')
              .append(String.format(Locale.ROOT, "%,.0f", m.opsPerSecond()))
              .append(" | ")
              .append(ms(m.p50Micros()))
              .append(" / ")
              .append(ms(m.p99Micros()))
              .append(" |");
        }
      }
      if (hasWrk) {
        Measurement wrk = cells.get(reference);
        for (String c : javaClients) {
          Measurement m = cells.get(c);
          if (m == null || wrk == null) {
            out.append(" – |");
            continue;
          }
          double ratio = m.opsPerSecond() / wrk.opsPerSecond();
          out.append(String.format(Locale.ROOT, " **%.2f**", ratio));
          if (m.concurrency() == 1) {
            out.append(String.format(Locale.ROOT, " (p50 ×%.2f)", m.p50Micros() / wrk.p50Micros()));
          }
          out.append(" |");
        }
      }
      out.append('\n');
    }
    return out.toString();
  }

  static String ms(double micros) {
    return micros < 10_000
        ? String.format(Locale.ROOT, "%.2f", micros / 1000)
        : String.format(Locale.ROOT, "%.0f", micros / 1000);
  }

  /** The whole results file. */
  public static String markdown(BenchmarkMain.Results r) {
    StringBuilder out = new StringBuilder();
    out.append("# valkeyrie-java benchmark results\n\n");
    out.append("Written by `bin/benchmark")
        .append(r.options().mode().equals("quick") ? " --quick" : "")
        .append("` on ")
        .append(
            DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(
                r.started().atOffset(ZoneOffset.UTC).withNano(0)))
        .append(" UTC in ")
        .append(r.elapsed().toSeconds())
        .append(" s. ")
        .append(environment())
        .append("; load average (1 / 5 / 15 min) ")
        .append(r.loadAverages())
        .append(".\n\n");
    if (!r.load().isEmpty()) {
      LoadSuite.Settings s = r.options().load();
      out.append("## End to end: throughput, latency, ratio to wrk\n\n");
      out.append(
              "One etcd member on 127.0.0.1, started by the run; clients measured one after the"
                  + " other, never together. Each cell: ")
          .append(s.warmup().toSeconds())
          .append(" s warm-up, then ")
          .append(s.measure().toSeconds())
          .append(
              " s measured; closed loop (each of N threads, or wrk connections, sends its next"
                  + " request when the previous one is answered). Java latencies are HdrHistogram"
                  + " percentiles over every measured request; wrk's are its own. The ratio is the"
                  + " client's ops/s over wrk's; at concurrency 1 also its p50 over wrk's.\n\n");
      out.append(table(r.load())).append('\n');
      out.append("![throughput against concurrency](throughput.png)\n\n");
      out.append("Client CPU per request (µs, whole JVM, measured window; lower is better):\n\n");
      out.append(cpuTable(r.load())).append('\n');
      out.append(
          "etcd's CPU per request (µs, the etcd process over the same window): what each"
              + " client made the server spend. Where a client leaves etcd idle between requests,"
              + " etcd spends more per request waking up again.\n\n");
      out.append(perRequestTable(r.load(), Measurement::serverCpuMicrosPerOp)).append('\n');
    }
    if (r.fanOut() != null || !r.trees().isEmpty()) {
      out.append("## Watches\n\n");
    }
    if (r.fanOut() != null) {
      WatchBenchmarks.FanOut f = r.fanOut();
      out.append("Fan-out: ")
          .append(f.watches())
          .append(
              " `store.watch` on distinct keys in one"
                  + " store, then one change to each key (16 writer threads). Lag: from the start of the"
                  + " put to the watcher's listener.\n\n");
      out.append(
          "| watches | threads the store added | heap held (after GC) | delivered |"
              + " lag p50 | lag p99 | lag max |\n|---:|---:|---:|---:|---:|---:|---:|\n");
      out.append(
          String.format(
              Locale.ROOT,
              "| %,d | %d | %s | %,d | %.1f ms | %.1f ms | %.1f ms |%n%n",
              f.watches(),
              f.storeThreads(),
              JvmStats.mib(f.heapBytes()),
              f.delivered(),
              f.p50Millis(),
              f.p99Millis(),
              f.maxMillis()));
    }
    if (!r.trees().isEmpty()) {
      out.append(
          "Tree watch: a directory of N children watched, then a burst of distinct-key"
              + " puts from 16 threads. Applied/s: writes the watch delivered per second, from the"
              + " burst's start until the last was seen. CPU: this JVM (writers, watch, consumer)"
              + " per write.\n\n");
      out.append(
          "| API | children | writes | burst writes/s | applied/s | lag p50 | lag p99 |"
              + " lag max | CPU µs/write | updates delivered |\n"
              + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
      for (WatchBenchmarks.Tree t : r.trees()) {
        out.append(
            String.format(
                Locale.ROOT,
                "| `%s` | %,d | %,d | %,.0f | %,.0f | %.1f ms | %.1f ms | %.1f ms | %.0f | %,d |%n",
                t.api(),
                t.children(),
                t.writes(),
                t.writesPerSecond(),
                t.eventsPerSecond(),
                t.p50Millis(),
                t.p99Millis(),
                t.maxMillis(),
                t.cpuMicrosPerEvent(),
                t.updates()));
      }
      out.append('\n');
    }
    if (r.idleStore() != null || !r.allocations().isEmpty()) {
      out.append("## Memory\n\n");
    }
    if (r.idleStore() != null) {
      out.append(
          String.format(
              Locale.ROOT,
              "An idle store (opened, one get served) holds %s of"
                  + " heap after GC and %d threads.%n%n",
              JvmStats.mib(r.idleStore().heapBytes()),
              r.idleStore().threads()));
    }
    if (!r.allocations().isEmpty()) {
      out.append(
          "Bytes allocated per request, all threads of the JVM (ThreadMXBean), sequential"
              + " calls after a warm-up:\n\n| workload |");
      List<String> clients = new ArrayList<>();
      r.allocations()
          .forEach(
              a -> {
                if (!clients.contains(a.client())) {
                  clients.add(a.client());
                }
              });
      clients.forEach(c -> out.append(' ').append(c).append(" |"));
      out.append("\n|---|").append("---:|".repeat(clients.size())).append('\n');
      Map<Workload, Map<String, Long>> rows = new LinkedHashMap<>();
      r.allocations()
          .forEach(
              a ->
                  rows.computeIfAbsent(a.workload(), w -> new LinkedHashMap<>())
                      .put(a.client(), a.bytesPerRequest()));
      rows.forEach(
          (w, cells) -> {
            out.append("| ").append(w.label()).append(" |");
            clients.forEach(
                c -> out.append(String.format(Locale.ROOT, " %,d |", cells.getOrDefault(c, -1L))));
            out.append('\n');
          });
      out.append('\n');
    }
    if (!r.jmh().isEmpty()) {
      out.append("## JMH micro-benchmarks (`-prof gc`)\n\n");
      out.append("| benchmark | time per op | allocated per op |\n|---|---:|---:|\n");
      for (JmhSuite.Row row : r.jmh()) {
        out.append(
            String.format(
                Locale.ROOT,
                "| `%s` | %,.3f %s | %,.0f B |%n",
                row.benchmark(),
                row.score(),
                row.unit(),
                row.bytesPerOp()));
      }
      out.append('\n');
    }
    return out.toString();
  }

  /** Client CPU per request, per workload and concurrency. */
  static String cpuTable(List<Measurement> results) {
    return perRequestTable(results, Measurement::cpuMicrosPerOp);
  }

  /** One per-request figure (skipped where unknown), per workload and concurrency. */
  public static String perRequestTable(
      List<Measurement> results, ToDoubleFunction<Measurement> figure) {
    List<String> clients = new ArrayList<>();
    Map<String, Map<String, Measurement>> rows = new LinkedHashMap<>();
    for (Measurement m : results) {
      if (figure.applyAsDouble(m) < 0) {
        continue;
      }
      if (!clients.contains(m.client())) {
        clients.add(m.client());
      }
      rows.computeIfAbsent(
              m.workload().label() + " | " + m.concurrency(), k -> new LinkedHashMap<>())
          .put(m.client(), m);
    }
    StringBuilder out = new StringBuilder("| workload | conc. |");
    clients.forEach(c -> out.append(' ').append(c).append(" |"));
    out.append("\n|---|---:|").append("---:|".repeat(clients.size())).append('\n');
    rows.forEach(
        (k, cells) -> {
          out.append("| ").append(k).append(" |");
          clients.forEach(
              c -> {
                Measurement m = cells.get(c);
                out.append(
                    m == null
                        ? " – |"
                        : String.format(Locale.ROOT, " %.1f |", figure.applyAsDouble(m)));
              });
          out.append('\n');
        });
    return out.toString();
  }

  /** Machine, JDK, etcd and wrk versions, in one line. */
  public static String environment() {
    return Runtime.getRuntime().availableProcessors()
        + " cores shared by etcd, client and load"
        + " generator; Java "
        + System.getProperty("java.version")
        + "; "
        + firstLine(
                List.of(
                    System.getenv().getOrDefault("VALKEYRIE_ETCD_BINARY", "/usr/bin/etcd"),
                    "--version"))
            .replace("etcd Version: ", "etcd ")
        + "; "
        + firstLine(List.of(Wrk.find() == null ? "wrk" : Wrk.find().toString(), "-v"))
            .replaceAll(" \\[.*", "")
            .replace("debian/", "");
  }

  /** The first line a command prints, or a note that it could not run. */
  public static String firstLine(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
      String text = new String(out, StandardCharsets.UTF_8).strip();
      return text.isEmpty() ? "?" : text.lines().findFirst().orElse("?");
    } catch (IOException e) {
      return Path.of(command.get(0)).getFileName() + " (not found)";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "?";
    }
  }
}
