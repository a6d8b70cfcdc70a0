package dev.valkeyrie.benchmarks.v3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.valkeyrie.benchmarks.Measurement;
import dev.valkeyrie.benchmarks.ServerCpu;
import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Builds the Go load generator (etcd's clientv3, GOPATH mode) and runs it for a moment against a
 * member with the seeded keys: it must report requests and no errors. Timings are never asserted.
 */
class GoClientV3SmokeTest {
  @RegisterExtension static final EtcdClusterExtension ETCD = EtcdClusterExtension.members(1);

  @Test
  void theGoGeneratorBuildsAndReportsRequestsOfEveryWorkload() throws Exception {
    V3Speed.seed(ETCD.endpoints());
    GoClientV3 go = GoClientV3.build(Path.of("."));

    for (V3Load workload : V3Load.values()) {
      Measurement m =
          go.run(
              ETCD.endpoints().get(0),
              workload,
              2,
              Duration.ofMillis(100),
              Duration.ofMillis(500),
              ServerCpu.NONE);

      assertThat(m.client()).isEqualTo(GoClientV3.NAME);
      assertThat(m.workload()).isEqualTo(workload);
      assertThat(m.isValid()).as(m.toString()).isTrue();
      assertThat(m.errors()).as(m.toString()).isZero();
    }
  }
}
