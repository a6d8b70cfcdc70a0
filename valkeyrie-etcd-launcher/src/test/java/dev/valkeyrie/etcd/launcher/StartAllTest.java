package dev.valkeyrie.etcd.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StartAllTest {
  private EtcdCluster cluster;

  @AfterEach
  void closeCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void startAllRestoresAClusterThatLostItsMajority() throws Exception {
    cluster = EtcdCluster.builder().members(3).name("majority").build().start();
    EtcdMember survivor = cluster.member(0);
    cluster.member(1).kill();
    cluster.member(2).kill();

    cluster.startAll();

    assertThat(cluster.members()).allMatch(EtcdMember::isRunning);
    assertThat(V2Client.put(survivor.clientEndpoint(), "back", "yes").statusCode()).isEqualTo(201);
    assertThat(V2Client.value(cluster.member(2).clientEndpoint(), "back", true)).isEqualTo("yes");
  }

  @Test
  void startWithoutWaitingReturnsWhileTheMemberCannotBeHealthyAlone() throws Exception {
    cluster = EtcdCluster.builder().members(3).name("nowait").build().start();
    cluster.member(1).kill();
    cluster.member(2).kill();
    cluster.member(0).kill();

    // Alone, member 0 has no quorum: start() would wait for a health it cannot reach.
    cluster.member(0).startWithoutWaiting();
    assertThat(cluster.member(0).isRunning()).isTrue();
    cluster.member(1).startWithoutWaiting();
    cluster.member(0).awaitReady();
    cluster.member(1).awaitReady();

    assertThat(V2Client.put(cluster.member(1).clientEndpoint(), "k", "v").statusCode())
        .isEqualTo(201);
    cluster.startAll();
    assertThat(cluster.member(2).isRunning()).isTrue();
  }
}
