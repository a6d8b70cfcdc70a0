package dev.valkeyrie.etcd.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AddMemberTest {
  private EtcdCluster cluster;

  @AfterEach
  void closeCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void anAddedMemberJoinsServesAndIsListedEverywhere() throws Exception {
    cluster = EtcdCluster.builder().name("grow").extraArgs("--log-level=debug").build().start();
    EtcdMember first = cluster.member(0);
    assertThat(V2Client.put(first.clientEndpoint(), "before", "1").statusCode()).isEqualTo(201);

    EtcdMember added = cluster.addMember();

    assertThat(added.name()).isEqualTo("grow-1");
    assertThat(added.isRunning()).isTrue();
    assertThat(cluster.members()).containsExactly(first, added);
    assertThat(cluster.clientEndpoints())
        .containsExactly(first.clientEndpoint(), added.clientEndpoint());
    String list = V2Client.get(first.clientEndpoint(), "/v2/members", Duration.ofSeconds(5)).body();
    assertThat(list).contains("\"" + added.clientEndpoint() + "\"", "\"grow-1\"");
    assertThat(V2Client.value(added.clientEndpoint(), "before", true)).isEqualTo("1");
    assertThat(V2Client.put(added.clientEndpoint(), "after", "2").statusCode()).isEqualTo(201);
    assertThat(V2Client.value(first.clientEndpoint(), "after", true)).isEqualTo("2");
    assertThat(added.dataDirectory().getParent().resolve("etcd.log").toFile())
        .content()
        .contains("--initial-cluster-state=existing")
        .doesNotContain("--initial-cluster-state=new");
    List<LoggedRequest> requests = first.loggedRequests();
    assertThat(requests)
        .anyMatch(r -> r.is("GET", "/v2/members"))
        .anyMatch(r -> r.is("PUT", "/v2/keys/before"));
  }

  @Test
  void anAddedMemberRestartsWithItsDataAndSurvivesAsAMember() throws Exception {
    cluster = EtcdCluster.builder().name("grow-restart").build().start();
    EtcdMember added = cluster.addMember();
    assertThat(V2Client.put(added.clientEndpoint(), "k", "v").statusCode()).isEqualTo(201);

    added.stop();
    added.start();

    assertThat(V2Client.value(added.clientEndpoint(), "k", true)).isEqualTo("v");
    assertThat(cluster.members()).contains(cluster.leader());
  }

  @Test
  void requestsAreOnlyLoggedAtDebugLevel() {
    cluster = EtcdCluster.builder().name("quiet").build().start();

    assertThatThrownBy(() -> cluster.member(0).loggedRequests())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("--log-level=debug");
  }
}
