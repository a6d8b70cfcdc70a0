package dev.valkeyrie.etcdv3.cluster;

import static dev.valkeyrie.etcdv3.cluster.ClusterSupport.figure;
import static org.awaitility.Awaitility.await;

import dev.valkeyrie.etcdv3.EtcdV3Config;
import dev.valkeyrie.etcdv3.EtcdV3Store;
import dev.valkeyrie.etcd.launcher.EtcdCluster;
import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.etcd.launcher.EtcdMember;
import dev.valkeyrie.testsuite.linearizability.LinearizabilityRun;
import dev.valkeyrie.testsuite.linearizability.RunReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The store is linearizable under faults, as etcd's own robustness tests check it: clients, each
 * with its own store on all three members, make random puts, consistent gets, compare-and-swaps
 * and compare-and-deletes on a few keys while members (the leader and followers) are paused,
 * killed and restarted, and the recorded history is checked. A write whose outcome was reported
 * unknown may have happened at any time after it was made; every other result must fit one
 * order of the operations that respects real time.
 */
class LinearizabilityTest {
  @RegisterExtension
  static final EtcdClusterExtension ETCD =
      EtcdClusterExtension.of(EtcdCluster.builder().members(3).name("v3-linearizable"));

  private static final EtcdV3Config CONFIG = EtcdV3Config.builder()
      .connectionTimeout(Duration.ofMillis(500))
      .requestTimeout(Duration.ofSeconds(2))
      .build();

  private final AtomicInteger runs = new AtomicInteger();

  @AfterEach
  void everyMemberRuns() {
    for (EtcdMember member : ETCD.cluster().members()) {
      if (member.isRunning()) {
        member.resume();
      } else {
        member.start();
      }
    }
  }

  @Test
  void historiesRecordedWhileMembersArePausedKilledAndRestartedAreLinearizable()
      throws Exception {
    EtcdCluster cluster = ETCD.cluster();
    AtomicInteger client = new AtomicInteger();
    Random random = new Random();
    RunReport report = LinearizabilityRun
        .builder(() -> EtcdV3Store.open(rotated(cluster, client.getAndIncrement()), CONFIG))
        .keyPrefix("linearizable/run-" + System.nanoTime() + "-" + runs.incrementAndGet())
        .keys(3)
        .clients(5)
        .duration(Duration.ofSeconds(20))
        .faults(() -> injectOne(cluster, random))
        .faultPause(Duration.ofMillis(500))
        .build()
        .run();

    figure("linearizability (v3, 3 members): %s", report.summary());
    report.assertLinearizable();
  }

  /**
   * One fault on one member, the leader as often as a follower: paused or killed for one to
   * three seconds, then resumed or restarted. Returns once the member serves again.
   */
  private static String injectOne(EtcdCluster cluster, Random random) {
    EtcdMember member = random.nextBoolean() ? cluster.leader()
        : cluster.members().get(random.nextInt(cluster.members().size()));
    boolean leader = member == cluster.leader();
    Duration length = Duration.ofMillis(1_000 + random.nextInt(2_000));
    String who = (leader ? "leader " : "follower ") + member.name();
    if (random.nextBoolean()) {
      member.pause();
      // The fault is the pause itself: it holds (the member stays stopped) for its length.
      await("member " + member.name() + " paused").during(length).atMost(length.plusSeconds(5))
          .until(member::isRunning);
      member.resume();
      return "paused " + who + " for " + length.toMillis() + " ms";
    }
    member.kill();
    await("member " + member.name() + " down").during(length).atMost(length.plusSeconds(5))
        .until(() -> !member.isRunning());
    member.start();
    return "killed " + who + " and restarted it after " + length.toMillis() + " ms";
  }

  /** Every member's endpoint, starting with a different one for each client. */
  private static List<String> rotated(EtcdCluster cluster, int offset) {
    List<String> endpoints = new ArrayList<>(cluster.clientEndpoints());
    java.util.Collections.rotate(endpoints, -(offset % endpoints.size()));
    return endpoints;
  }
}
