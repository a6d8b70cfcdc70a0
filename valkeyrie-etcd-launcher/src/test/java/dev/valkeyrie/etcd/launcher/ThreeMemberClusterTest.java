package dev.valkeyrie.etcd.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ThreeMemberClusterTest {
  private EtcdCluster cluster;

  @AfterEach
  void closeCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void writeThroughOneMemberIsReadableThroughAnother() throws Exception {
    cluster = EtcdCluster.builder().members(3).name("trio").build().start();

    List<EtcdMember> members = cluster.members();
    assertThat(members).hasSize(3).allMatch(EtcdMember::isRunning);
    assertThat(members).extracting(EtcdMember::name).containsExactly("trio-0", "trio-1", "trio-2");
    assertThat(cluster.clientEndpoints())
        .doesNotHaveDuplicates()
        .containsExactlyElementsOf(members.stream().map(EtcdMember::clientEndpoint).toList());
    assertThat(members).extracting(EtcdMember::pid).doesNotHaveDuplicates();

    assertThat(V2Client.put(cluster.member(0).clientEndpoint(), "shared", "from-0").statusCode())
        .isEqualTo(201);
    assertThat(V2Client.value(cluster.member(2).clientEndpoint(), "shared", true))
        .isEqualTo("from-0");

    assertThat(members).contains(cluster.leader());
  }

  @Test
  void killedLeaderIsReplacedAndCatchesUpAfterRestart() throws Exception {
    cluster = EtcdCluster.builder().members(3).name("failover").build().start();
    EtcdMember oldLeader = cluster.leader();
    assertThat(V2Client.put(oldLeader.clientEndpoint(), "before", "1").statusCode()).isEqualTo(201);

    oldLeader.kill();

    EtcdMember newLeader = cluster.leader();
    assertThat(newLeader).isNotSameAs(oldLeader);
    assertThat(newLeader.isRunning()).isTrue();
    // Written while the old leader is down: it can only learn this from its peers.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> V2Client.put(newLeader.clientEndpoint(), "during", "2").statusCode() == 201);

    oldLeader.start();

    String endpoint = oldLeader.clientEndpoint();
    assertThat(V2Client.value(endpoint, "before", false)).isEqualTo("1");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> "2".equals(V2Client.value(endpoint, "during", false)));
  }
}
