package dev.valkeyrie.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Checks that the benchmark runs, end to end, with tiny durations: every workload once with
 * valkeyrie-java, etcd4j and wrk, the watch and memory measurements, the JMH benchmarks, and the
 * written table and chart. It asserts that every number is there and positive, never how large it
 * is: timings are not asserted in the test suite.
 */
class BenchmarkSmokeTest {

  @TempDir Path out;

  @Test
  void everySectionRunsAndTheTableHasEveryRowWithPositiveNumbers() throws Exception {
    assertThat(Wrk.find())
        .as("wrk must be installed (bin/setup installs Debian's wrk package)")
        .isNotNull();
    BenchmarkMain.Options tiny =
        new BenchmarkMain.Options(
            "smoke",
            Set.of("load", "watch", "memory", "jmh"), // v3: V3SpeedSmokeTest
            new LoadSuite.Settings(
                List.of(Workload.values()),
                List.of(2),
                Duration.ofMillis(200),
                Duration.ofSeconds(1),
                true),
            20,
            200,
            50,
            50,
            new JmhSuite.Settings(0, 0, TimeValue.milliseconds(50), 1, TimeValue.milliseconds(100)),
            BenchmarkMain.Options.quick().v3());
    ByteArrayOutputStream log = new ByteArrayOutputStream();

    BenchmarkMain.Results results =
        BenchmarkMain.run(tiny, new PrintStream(log, true, StandardCharsets.UTF_8));
    BenchmarkMain.write(results, out, new PrintStream(log, true, StandardCharsets.UTF_8));
    System.out.println(log.toString(StandardCharsets.UTF_8)); // kept in the surefire report

    assertThat(results.load()).hasSize(Workload.values().length * 3);
    for (Workload workload : Workload.values()) {
      for (String client : List.of(Wrk.NAME, ValkeyrieClient.NAME, Etcd4jClient.NAME)) {
        assertThat(results.load())
            .as(client + " on " + workload)
            .anySatisfy(
                m -> {
                  assertThat(m.workload()).isEqualTo(workload);
                  assertThat(m.client()).isEqualTo(client);
                  assertThat(m.isValid()).as(m.toString()).isTrue();
                  assertThat(m.errors()).as(m.toString()).isZero();
                });
      }
    }
    String table = Files.readString(out.resolve("latest.md"));
    for (Workload workload : Workload.values()) {
      assertThat(table).contains("| " + workload.label() + " | 2 |");
    }
    assertThat(table).doesNotContain(" – |").contains("valkeyrie-java / wrk", "etcd4j / wrk");
    assertThat(out.resolve("throughput.png")).isNotEmptyFile();

    assertThat(results.fanOut().delivered()).isEqualTo(20);
    assertThat(results.fanOut().p99Millis()).isPositive();
    assertThat(results.trees())
        .hasSize(2)
        .allSatisfy(
            t -> {
              assertThat(t.eventsPerSecond()).isPositive();
              assertThat(t.p99Millis()).isPositive();
              assertThat(t.updates()).isPositive();
            });
    assertThat(results.idleStore().heapBytes()).isPositive();
    assertThat(results.allocations())
        .hasSize(6)
        .allSatisfy(a -> assertThat(a.bytesPerRequest()).isPositive());
    assertThat(results.jmh())
        .extracting(JmhSuite.Row::benchmark)
        .contains(
            "CodecBenchmarks.keyEncoding",
            "CodecBenchmarks.parseList1000",
            "EndToEndBenchmarks.valkeyrieGet");
    assertThat(results.jmh()).allSatisfy(r -> assertThat(r.score()).isPositive());
  }
}
