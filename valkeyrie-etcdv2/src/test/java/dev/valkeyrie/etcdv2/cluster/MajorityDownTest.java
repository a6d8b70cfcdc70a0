package dev.valkeyrie.etcdv2.cluster;

import static dev.valkeyrie.etcdv2.TestSupport.figure;
import static dev.valkeyrie.etcdv2.TestSupport.millisSince;
import static dev.valkeyrie.etcdv2.TestSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.etcd.launcher.EtcdCluster;
import dev.valkeyrie.etcdv2.EtcdV2Config;
import dev.valkeyrie.etcdv2.EtcdV2Store;
import dev.valkeyrie.store.ConnectionState;
import dev.valkeyrie.store.ReadOptions;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.store.StoreUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two of three members stopped: the survivor has no quorum. etcd itself would hold writes and
 * quorum reads for 7 s and then answer 500; the store must give up within its own request timeout,
 * still serve stale reads, and recover by itself when the members return.
 */
class MajorityDownTest {
  @RegisterExtension
  static final EtcdClusterExtension ETCD =
      EtcdClusterExtension.of(EtcdCluster.builder().members(3).name("majority"));

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);
  private static final EtcdV2Config CONFIG =
      EtcdV2Config.builder()
          .requestTimeout(REQUEST_TIMEOUT)
          .connectionTimeout(Duration.ofSeconds(1))
          .build();

  /** Generous, for a loaded machine; still well below etcd's own 7 s. */
  private static final Duration FAIL_FAST_BOUND = REQUEST_TIMEOUT.plusSeconds(3);

  private static final ReadOptions STALE = ReadOptions.builder().consistent(false).build();

  @AfterEach
  void everyMemberRuns() {
    ETCD.cluster().startAll();
  }

  /** Stops members 1 and 2; member 0 survives without a quorum. */
  private static void stopTheMajority() {
    ETCD.cluster().member(1).stop();
    ETCD.cluster().member(2).stop();
  }

  @Test
  void writesAndQuorumReadsFailWithStoreUnavailableWithinTheRequestTimeout() {
    try (Store store = EtcdV2Store.open(ETCD.endpoints(), CONFIG)) {
      store.put("majority/fail-fast", utf8("before"));
      stopTheMajority();

      long start = System.nanoTime();
      Throwable write = catchThrowable(() -> store.put("majority/fail-fast", utf8("during")));
      long writeMs = millisSince(start);
      start = System.nanoTime();
      Throwable read = catchThrowable(() -> store.get("majority/fail-fast"));
      long readMs = millisSince(start);
      figure(
          "majority down: a write failed after %d ms, a quorum read after %d ms"
              + " (requestTimeout %d ms)",
          writeMs, readMs, REQUEST_TIMEOUT.toMillis());
      // Whether the write that failed was applied after all, once the quorum is back.
      ETCD.cluster().startAll();
      String after =
          await("a quorum read after the members returned")
              .atMost(Duration.ofSeconds(20))
              .ignoreException(StoreUnavailableException.class)
              .until(() -> store.get("majority/fail-fast").valueAsString(), v -> v != null);
      System.out.println(
          "majority down: the failed write was "
              + ("during".equals(after) ? "APPLIED" : "not applied")
              + " once the quorum returned;"
              + " it failed with: "
              + write);

      assertThat(Duration.ofMillis(writeMs)).isLessThan(FAIL_FAST_BOUND);
      assertThat(Duration.ofMillis(readMs)).isLessThan(FAIL_FAST_BOUND);
      assertThat(read)
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("majority/fail-fast");
      // The write reached the survivor, which may apply it once the quorum is back.
      assertThat(write)
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("majority/fail-fast")
          .hasMessageContaining("outcome is unknown");
    }
  }

  @Test
  void staleReadsStillAnswerFromTheSurvivingMember() {
    try (Store store = EtcdV2Store.open(ETCD.endpoints(), CONFIG)) {
      store.put("majority/stale/a", utf8("kept"));
      stopTheMajority();

      long start = System.nanoTime();
      assertThat(store.get("majority/stale/a", STALE).valueAsString()).isEqualTo("kept");
      assertThat(store.list("majority/stale", STALE)).hasSize(1);
      assertThat(store.exists("majority/stale/a", STALE)).isTrue();
      long staleMs = millisSince(start);

      figure("majority down: three stale reads answered in %d ms", staleMs);
      assertThat(Duration.ofMillis(staleMs)).isLessThan(FAIL_FAST_BOUND);
    }
  }

  @Test
  void theSameStoreWorksAgainWhenTheMembersReturn() {
    try (Store store = EtcdV2Store.open(ETCD.endpoints(), CONFIG)) {
      store.put("majority/recover", utf8("before"));
      stopTheMajority();
      assertThatThrownBy(() -> store.put("majority/recover", utf8("during")))
          .isInstanceOf(StoreUnavailableException.class);

      ETCD.cluster().startAll();
      long start = System.nanoTime();
      await("a write through the same store")
          .atMost(Duration.ofSeconds(20))
          .ignoreException(StoreUnavailableException.class)
          .until(
              () -> {
                store.put("majority/recover", utf8("after"));
                return true;
              });
      figure(
          "majority back: the same store wrote again %d ms after the members were ready",
          millisSince(start));

      assertThat(store.get("majority/recover").valueAsString()).isEqualTo("after");
    }
  }

  @Test
  void theConnectionIsSuspendedThenReconnectedWithoutApplicationTraffic() {
    List<ConnectionState> states = Collections.synchronizedList(new ArrayList<>());
    try (Store store = EtcdV2Store.open(ETCD.endpoints(), CONFIG)) {
      store.addConnectionStateListener(states::add, Runnable::run);
      store.put("majority/state", utf8("before"));
      await().atMost(Duration.ofSeconds(5)).until(() -> states.contains(ConnectionState.CONNECTED));
      stopTheMajority();
      assertThatThrownBy(() -> store.put("majority/state", utf8("during")))
          .isInstanceOf(StoreUnavailableException.class);
      await("SUSPENDED")
          .atMost(Duration.ofSeconds(5))
          .until(() -> states.contains(ConnectionState.SUSPENDED));
      assertThat(store.connectionState()).isIn(ConnectionState.SUSPENDED, ConnectionState.LOST);

      ETCD.cluster().startAll();
      long start = System.nanoTime();
      // No request from here on: the store's own probe must notice the recovery.
      await("RECONNECTED")
          .atMost(Duration.ofSeconds(20))
          .until(() -> states.contains(ConnectionState.RECONNECTED));
      figure(
          "majority back: RECONNECTED reported %d ms after the members were ready,"
              + " without application traffic",
          millisSince(start));

      assertThat(states)
          .containsSubsequence(
              ConnectionState.CONNECTED, ConnectionState.SUSPENDED, ConnectionState.RECONNECTED);
      assertThat(store.connectionState()).isEqualTo(ConnectionState.RECONNECTED);
    }
  }
}
