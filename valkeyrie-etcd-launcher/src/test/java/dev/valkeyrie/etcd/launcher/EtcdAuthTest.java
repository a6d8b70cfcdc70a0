package dev.valkeyrie.etcd.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EtcdAuthTest {
  private static final String ROOT_PASSWORD = "root-pw-7f3a";
  private static final String ALICE_PASSWORD = "alice-pw-19c2";
  private EtcdCluster cluster;

  @AfterEach
  void closeCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void enableRestrictsKeysToRolesAndTheClusterKeepsProbingAsRoot() throws Exception {
    cluster = EtcdCluster.builder().name("auth").build().start();
    String endpoint = cluster.member(0).clientEndpoint();
    EtcdAuth auth =
        EtcdAuth.withRootPassword(ROOT_PASSWORD)
            .role("app", "/app/*")
            .user("alice", ALICE_PASSWORD, "app");

    auth.enable(cluster);

    TestHttp alice = TestHttp.plain().as("alice", ALICE_PASSWORD);
    assertThat(TestHttp.plain().put(endpoint, "app/x", "1").statusCode()).isEqualTo(401);
    assertThat(alice.put(endpoint, "app/x", "1").statusCode()).isEqualTo(201);
    assertThat(alice.put(endpoint, "other/x", "1").statusCode()).isEqualTo(401);
    assertThat(TestHttp.plain().as("alice", "wrong").put(endpoint, "app/x", "2").statusCode())
        .isEqualTo(401);
    assertThat(
            TestHttp.plain().as("root", ROOT_PASSWORD).put(endpoint, "other/x", "1").statusCode())
        .isEqualTo(201);

    // The readiness probe reads a key: it now needs the root credentials.
    cluster.member(0).kill();
    cluster.member(0).start();
    assertThat(cluster.leader()).isSameAs(cluster.member(0));

    auth.revokeRole(cluster, "alice", "app");
    assertThat(alice.put(endpoint, "app/x", "3").statusCode()).isEqualTo(401);
    assertThat(auth.toString())
        .contains("alice")
        .doesNotContain(ALICE_PASSWORD)
        .doesNotContain(ROOT_PASSWORD);
  }

  @Test
  void enablingTwiceFailsWithEtcdsAnswer() {
    cluster = EtcdCluster.builder().name("auth-twice").build().start();
    EtcdAuth auth = EtcdAuth.withRootPassword(ROOT_PASSWORD);
    auth.enable(cluster);

    assertThatThrownBy(() -> auth.enable(cluster))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageNotContaining(ROOT_PASSWORD);
  }

  @Test
  void usersNeedDefinedRoles() {
    assertThatThrownBy(() -> EtcdAuth.withRootPassword("x").user("bob", "pw", "nope"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nope");
  }
}
