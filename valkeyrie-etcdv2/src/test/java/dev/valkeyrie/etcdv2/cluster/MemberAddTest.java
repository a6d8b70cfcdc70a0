package dev.valkeyrie.etcdv2.cluster;

import static dev.valkeyrie.etcdv2.TestSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.etcd.launcher.EtcdCluster;
import dev.valkeyrie.etcd.launcher.EtcdMember;
import dev.valkeyrie.etcdv2.EtcdV2Config;
import dev.valkeyrie.etcdv2.EtcdV2Store;
import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.store.StoreUnavailableException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A store given only member 0 of a growing cluster finds the members added later through its member
 * sync ({@code syncPeriod}), and keeps working through them once member 0 is gone.
 */
class MemberAddTest {
  // Debug level: member 0 logs every request, so the test can see the store's member syncs.
  @RegisterExtension
  static final EtcdClusterExtension ETCD =
      EtcdClusterExtension.of(
          EtcdCluster.builder().members(1).name("grow").extraArgs("--log-level=debug"));

  private static final EtcdV2Config SYNCING =
      EtcdV2Config.builder()
          .syncPeriod(Duration.ofMillis(500))
          .requestTimeout(Duration.ofSeconds(2))
          .connectionTimeout(Duration.ofSeconds(1))
          .build();
  private static final EtcdV2Config NOT_SYNCING =
      EtcdV2Config.builder()
          .requestTimeout(Duration.ofSeconds(2))
          .connectionTimeout(Duration.ofSeconds(1))
          .build();

  @Test
  void membersAddedToTheRunningClusterAreUsedOnceMemberZeroIsGone() {
    EtcdCluster cluster = ETCD.cluster();
    EtcdMember first = cluster.member(0);
    List<String> onlyFirst = List.of(first.clientEndpoint());
    try (Store store = EtcdV2Store.open(onlyFirst, SYNCING);
        Store control = EtcdV2Store.open(onlyFirst, NOT_SYNCING)) {
      store.put("grow/before", utf8("1"));
      assertThat(control.get("grow/before").valueAsString()).isEqualTo("1");

      // Two members, so that they hold a quorum (2 of 3) without member 0.
      cluster.addMember();
      cluster.addMember();

      // Deterministic: member 0 logs every request it gets. The store syncs every 500 ms; once it
      // has sent two member-list requests after both additions, the first of them (answered from
      // member 0's local member list, in about a millisecond) was answered 500 ms before the
      // second was sent, so the store has seen the new members.
      long syncsBefore = memberListRequests(first);
      await("two member syncs after the additions")
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> memberListRequests(first) >= syncsBefore + 2);

      first.stop();
      try {
        store.put("grow/after", utf8("2"));
        assertThat(store.get("grow/after").valueAsString()).isEqualTo("2");
        assertThat(store.list("grow"))
            .extracting(KVPair::key)
            .containsExactly("grow/after", "grow/before");
        // The control store was given the same endpoint but never syncs: it has nowhere to go.
        assertThatThrownBy(() -> control.get("grow/before"))
            .isInstanceOf(StoreUnavailableException.class)
            .hasMessageContaining(first.clientEndpoint().replace("http://", ""));
      } finally {
        first.start();
      }
    }
  }

  private static long memberListRequests(EtcdMember member) {
    return member.loggedRequests().stream().filter(r -> r.is("GET", "/v2/members")).count();
  }
}
