package dev.valkeyrie.etcdv2.faults;

import static dev.valkeyrie.etcdv2.TestSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.etcd.launcher.EtcdCluster;
import dev.valkeyrie.etcd.launcher.EtcdMember;
import dev.valkeyrie.etcdv2.EtcdV2Config;
import dev.valkeyrie.etcdv2.EtcdV2Store;
import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.store.Watch;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** One member of three frozen (SIGSTOP) while a store that knows all three goes on working. */
class FrozenMemberTest {
  @RegisterExtension
  static final EtcdClusterExtension ETCD =
      EtcdClusterExtension.of(EtcdCluster.builder().members(3).name("frozen"));

  @AfterEach
  void everyMemberRuns() {
    for (EtcdMember member : ETCD.cluster().members()) {
      if (member.isRunning()) {
        member.resume(); // a no-op unless a failed test left it paused
      }
    }
  }

  /**
   * A watch that sees no change for its idle timeout re-issues its poll: that is normal, and says
   * nothing about the member. Were it counted as the member failing, the store would pass over the
   * healthy first member and send the next write to the frozen second one, where it can only time
   * out with an unknown outcome.
   */
  @Test
  void anIdleWatchDoesNotSteerWritesAwayFromAHealthyMemberToAFrozenOne() throws Exception {
    EtcdCluster cluster = ETCD.cluster();
    // A follower is frozen: a frozen leader would stall every write until a new one is elected,
    // which is another scenario. It is second in the store's list, after a healthy member.
    EtcdMember leader = cluster.leader();
    EtcdMember frozen =
        cluster.members().stream().filter(m -> !m.equals(leader)).findFirst().orElseThrow();
    List<EtcdMember> healthy =
        cluster.members().stream().filter(m -> !m.equals(frozen)).collect(Collectors.toList());
    List<String> endpoints =
        List.of(
            healthy.get(0).clientEndpoint(),
            frozen.clientEndpoint(),
            healthy.get(1).clientEndpoint());
    EtcdV2Config config =
        EtcdV2Config.builder()
            .requestTimeout(Duration.ofSeconds(3))
            .watchIdleTimeout(Duration.ofSeconds(1))
            .build();
    try (Store store = EtcdV2Store.open(endpoints, config)) {
      store.put("frozen/idle/k", utf8("before"));
      store.put("frozen/idle/quiet", utf8("unchanged"));
      try (Watch<KVPair> watch = store.watch("frozen/idle/quiet")) {
        assertThat(watch.take().valueAsString()).isEqualTo("unchanged");
        frozen.pause();
        try {
          // The scenario: the watch stays idle past one idle timeout (1 s) and stays open.
          await("the idle watch while a follower is frozen")
              .during(Duration.ofMillis(1_400))
              .atMost(Duration.ofSeconds(5))
              .until(() -> !watch.isClosed());

          assertThatCode(() -> store.put("frozen/idle/k", utf8("after")))
              .as(
                  "a write while follower %s is frozen and %s, %s are not",
                  frozen.clientEndpoint(),
                  healthy.get(0).clientEndpoint(),
                  healthy.get(1).clientEndpoint())
              .doesNotThrowAnyException();
          assertThat(store.get("frozen/idle/k").valueAsString()).isEqualTo("after");
        } finally {
          frozen.resume();
        }
      }
    }
  }
}
