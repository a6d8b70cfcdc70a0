package dev.valkeyrie.etcdv2.cluster;

import static dev.valkeyrie.etcdv2.TestSupport.utf8;
import static dev.valkeyrie.etcdv2.cluster.ClusterSupport.aFollower;
import static dev.valkeyrie.etcdv2.cluster.ClusterSupport.endpointsStartingWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.etcd.launcher.EtcdCluster;
import dev.valkeyrie.etcd.launcher.EtcdMember;
import dev.valkeyrie.etcd.launcher.LoggedRequest;
import dev.valkeyrie.etcdv2.EtcdV2Config;
import dev.valkeyrie.etcdv2.EtcdV2Store;
import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.store.StoreUnavailableException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Writes while the member a store sends to first is frozen (SIGSTOP): its kernel still accepts
 * connections and buffers what is sent, and the member handles all of it once it runs again. A
 * write that reached it must never be resent elsewhere, and must never be applied after a newer
 * write the application saw succeed.
 */
class FrozenMemberWritesTest {
  @RegisterExtension
  static final EtcdClusterExtension ETCD =
      EtcdClusterExtension.of(
          EtcdCluster.builder().members(3).name("frozen-writes").extraArgs("--log-level=debug"));

  private static final EtcdV2Config CONFIG =
      EtcdV2Config.builder()
          .connectionTimeout(Duration.ofSeconds(1))
          .requestTimeout(Duration.ofSeconds(3))
          .build();

  @AfterEach
  void everyMemberRuns() {
    for (EtcdMember member : ETCD.cluster().members()) {
      if (member.isRunning()) {
        member.resume(); // a no-op unless a failed test left it paused
      }
    }
  }

  /**
   * The regression of a delayed copy undoing a newer write: a put sent to the frozen member must
   * not be applied when that member wakes up after a later put succeeded elsewhere. A PUT's body
   * waits for the member's {@code 100 Continue}; the frozen member never asks, so only the head sat
   * in its socket, and when it runs again it finds no body and applies nothing.
   */
  @Test
  void aPutSentToAFrozenMemberIsNotAppliedAfterANewerPut() {
    EtcdCluster cluster = ETCD.cluster();
    EtcdMember frozen = aFollower(cluster);
    String key = "frozen-writes/put";
    try (Store store = EtcdV2Store.open(endpointsStartingWith(cluster, frozen), CONFIG);
        Store elsewhere = EtcdV2Store.open(others(cluster, frozen), CONFIG)) {
      elsewhere.put(key, utf8("zero"));
      frozen.pause();
      store.put(key, utf8("first"));
      store.put(key, utf8("second"));
      KVPair second = elsewhere.get(key);
      assertThat(second.valueAsString()).isEqualTo("second");

      frozen.resume();
      await("the woken member handled the put it held")
          .atMost(Duration.ofSeconds(20))
          .until(() -> frozen.loggedRequests().stream().anyMatch(isPut(key)));
      assertThat(readThrough(frozen, key)).isEqualTo(second);
      await("the key stays at the second put")
          .during(Duration.ofSeconds(1))
          .atMost(Duration.ofSeconds(5))
          .until(() -> elsewhere.get(key).equals(second));
    }
  }

  /**
   * A delete has no body: once its head is sent it can take effect, so when the member does not
   * answer it is not resent elsewhere, and the application is told that it may have happened.
   */
  @Test
  void aDeleteStuckOnAFrozenMemberIsNotResentAndItsOutcomeIsUnknown() {
    EtcdCluster cluster = ETCD.cluster();
    EtcdMember frozen = aFollower(cluster);
    String key = "frozen-writes/delete";
    try (Store store = EtcdV2Store.open(endpointsStartingWith(cluster, frozen), CONFIG);
        Store elsewhere = EtcdV2Store.open(others(cluster, frozen), CONFIG)) {
      elsewhere.put(key, utf8("kept"));
      frozen.pause();
      try {
        assertThatThrownBy(() -> store.delete(key))
            .isInstanceOf(StoreUnavailableException.class)
            .hasMessageContaining(key)
            .hasMessageContaining("outcome is unknown")
            .satisfies(e -> assertThat(((StoreUnavailableException) e).outcomeUnknown()).isTrue());
        assertThat(elsewhere.get(key).valueAsString())
            .as("the delete was not resent to the members that answer")
            .isEqualTo("kept");
      } finally {
        frozen.resume();
      }
    }
  }

  /** A compare-and-swap is a PUT as well: it moves on, and it is applied exactly once. */
  @Test
  void aCompareAndSwapSentToAFrozenMemberMovesOnAndIsAppliedOnce() {
    EtcdCluster cluster = ETCD.cluster();
    EtcdMember frozen = aFollower(cluster);
    String key = "frozen-writes/cas";
    try (Store store = EtcdV2Store.open(endpointsStartingWith(cluster, frozen), CONFIG);
        Store elsewhere = EtcdV2Store.open(others(cluster, frozen), CONFIG)) {
      KVPair before = elsewhere.atomicPut(key, utf8("v1"), null, null);
      frozen.pause();
      KVPair swapped;
      try {
        swapped = store.atomicPut(key, utf8("v2"), before, null);
      } finally {
        frozen.resume();
      }
      await("the woken member handled the swap it held")
          .atMost(Duration.ofSeconds(20))
          .until(() -> frozen.loggedRequests().stream().anyMatch(isPut(key)));
      assertThat(elsewhere.get(key)).isEqualTo(swapped);
    }
  }

  private static java.util.function.Predicate<LoggedRequest> isPut(String key) {
    return request -> request.is("PUT", "/v2/keys/" + key);
  }

  private static KVPair readThrough(EtcdMember member, String key) {
    try (Store only = EtcdV2Store.open(List.of(member.clientEndpoint()), CONFIG)) {
      return only.get(key);
    }
  }

  private static List<String> others(EtcdCluster cluster, EtcdMember excluded) {
    return cluster.members().stream()
        .filter(m -> m != excluded)
        .map(EtcdMember::clientEndpoint)
        .toList();
  }
}
