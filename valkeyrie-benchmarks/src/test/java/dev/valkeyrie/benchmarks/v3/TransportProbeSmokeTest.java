package dev.valkeyrie.benchmarks.v3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs the v3 transport probe once with tiny durations and 20 watches, and checks that every row is
 * there with positive numbers and no errors, that etcd saw one watch stream for grpc-java and one
 * per watcher for jetcd, and that both clients' jars were counted. Timings are never asserted.
 */
class TransportProbeSmokeTest {

  @Test
  void everyCellAndWatchRunIsThereAndTheTableIsWritten() throws Exception {
    int watches = 20;
    TransportProbe.Options tiny =
        new TransportProbe.Options(
            "smoke",
            List.of(V3Workload.values()),
            List.of(2),
            Duration.ofMillis(100),
            Duration.ofMillis(300),
            watches,
            1,
            Path.of("target", "dependency-tree.txt"),
            TransportProbe.Options.jvmClassPath());
    ByteArrayOutputStream log = new ByteArrayOutputStream();

    TransportProbe.Results results =
        TransportProbe.run(tiny, new PrintStream(log, true, StandardCharsets.UTF_8));
    String markdown = TransportProbe.markdown(results);
    System.out.println(log.toString(StandardCharsets.UTF_8)); // kept in the surefire report
    System.out.println(markdown);

    assertThat(results.cells()).hasSize(V3Workload.values().length * 2);
    assertThat(results.cells())
        .allSatisfy(
            c -> {
              assertThat(c.r().operations()).as(c.toString()).isPositive();
              assertThat(c.r().errors()).as(c.toString()).isZero();
              assertThat(c.r().p99Micros()).as(c.toString()).isPositive();
            });
    assertThat(results.watchRuns())
        .extracting(TransportProbe.WatchRun::client)
        .containsExactly(GrpcJavaTransport.NAME, JetcdTransport.NAME);
    assertThat(results.watchRuns())
        .allSatisfy(
            r -> {
              assertThat(r.serverWatchers()).as(r.client()).isEqualTo(watches);
              assertThat(r.deliveries())
                  .hasSize(2)
                  .allSatisfy(
                      d -> {
                        assertThat(d.seen()).as(r.client() + " " + d.how()).isEqualTo(watches);
                        assertThat(d.allSeenMillis()).isPositive();
                      });
            });
    assertThat(results.watchRuns().get(0).serverStreams()).as("grpc-java streams").isEqualTo(1);
    assertThat(results.watchRuns().get(1).serverStreams()).as("jetcd streams").isEqualTo(watches);

    assertThat(results.footprints())
        .hasSize(2)
        .allSatisfy(
            j -> {
              assertThat(j.missing()).as(j.root() + " jars not found").isEmpty();
              assertThat(j.bytes()).isPositive();
            });
    assertThat(results.footprints().get(0).artifacts())
        .anyMatch(a -> a.startsWith("io.grpc:grpc-netty-shaded:"))
        .noneMatch(a -> a.startsWith("io.etcd:") || a.startsWith("io.vertx:"));
    assertThat(results.footprints().get(1).artifacts())
        .anyMatch(a -> a.startsWith("io.vertx:vertx-core:"))
        .noneMatch(a -> a.startsWith("dev.valkeyrie:"));

    for (V3Workload w : V3Workload.values()) {
      assertThat(markdown).contains("| " + w.label() + " | 2 |");
    }
    assertThat(markdown)
        .contains("| grpc-java | 1 / 20 |", "| jetcd | 20 / 20 |", "## Jars")
        .doesNotContain("| – |");
  }
}
