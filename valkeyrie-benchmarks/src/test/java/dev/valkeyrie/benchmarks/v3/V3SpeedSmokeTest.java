package dev.valkeyrie.benchmarks.v3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.valkeyrie.benchmarks.BenchmarkMain;
import dev.valkeyrie.benchmarks.Measurement;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the v3 section of the benchmark once with tiny durations (the Go load generator built and
 * run, valkeyrie-etcdv3 and jetcd), and checks that every client produced a result on every row and
 * that the table and the chart are written. Timings are never asserted.
 */
class V3SpeedSmokeTest {

  @TempDir Path out;

  @Test
  void everyClientMeasuresEveryRowAndTheTableAndChartAreWritten() throws Exception {
    BenchmarkMain.Options full = BenchmarkMain.Options.quick();
    BenchmarkMain.Options tiny =
        new BenchmarkMain.Options(
            "smoke",
            Set.of("v3"),
            full.load(),
            full.fanOutWatches(),
            full.treeChildren(),
            full.treeWrites(),
            full.allocationRequests(),
            full.jmh(),
            new V3Speed.Settings(
                V3Speed.Settings.issueRows(), Duration.ofMillis(200), Duration.ofSeconds(1)));
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream print = new PrintStream(log, true, StandardCharsets.UTF_8);

    BenchmarkMain.Results results = BenchmarkMain.run(tiny, print);
    BenchmarkMain.write(results, out, print);
    System.out.println(log.toString(StandardCharsets.UTF_8)); // kept in the surefire report

    List<String> clients = List.of(GoClientV3.NAME, ValkeyrieV3Client.NAME, JetcdLoadClient.NAME);
    assertThat(results.v3()).hasSize(V3Speed.Settings.issueRows().size() * clients.size());
    for (V3Speed.Row row : V3Speed.Settings.issueRows()) {
      for (String client : clients) {
        assertThat(results.v3())
            .as(client + " on " + row)
            .anySatisfy(
                m -> {
                  assertThat(m.client()).isEqualTo(client);
                  assertThat(m.workload()).isEqualTo(row.workload());
                  assertThat(m.concurrency()).isEqualTo(row.concurrency());
                  assertThat(m.isValid()).as(m.toString()).isTrue();
                  assertThat(m.errors()).as(m.toString()).isZero();
                });
      }
    }
    assertThat(results.load()).isEmpty();
    assertThat(results.v3()).extracting(Measurement::operations).allMatch(n -> n > 0);
    String table = Files.readString(out.resolve("v3-speed.md"));
    String cells = table.substring(0, table.indexOf("Goals of issue 14"));
    assertThat(cells)
        .contains("| GET serializable | 1 |", "| range of 1,000 keys | 64 |")
        .contains("valkeyrie-etcdv3 / Go", "jetcd / Go")
        .doesNotContain(" – |");
    assertThat(out.resolve(V3SpeedReport.CHART)).isNotEmptyFile();
    assertThat(out.resolve("latest.md")).doesNotExist();
  }
}
