package dev.valkeyrie.etcdv3;

import static dev.valkeyrie.etcdv3.TestSupport.figure;
import static dev.valkeyrie.etcdv3.TestSupport.millisSince;
import static dev.valkeyrie.etcdv3.TestSupport.onThread;
import static dev.valkeyrie.etcdv3.TestSupport.utf8;
import static dev.valkeyrie.etcdv3.WatchTesting.history;
import static dev.valkeyrie.etcdv3.WatchTesting.next;
import static dev.valkeyrie.etcdv3.WatchTesting.open;
import static dev.valkeyrie.etcdv3.WatchTesting.pollUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.etcd.launcher.EtcdCluster;
import dev.valkeyrie.etcd.launcher.EtcdMember;
import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.KeyEvent;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.store.StoreException;
import dev.valkeyrie.store.StoreUnavailableException;
import dev.valkeyrie.store.Watch;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A three-member cluster whose members are killed, restarted, paused and lose their leader under
 * watches and writes. Each test compares what the watch delivered with etcd's own history of the
 * key (a watch of the test's own, from the same revision): nothing missed, nothing repeated, in
 * order, and the watch never closed.
 */
class WatchFailoverTest {
  @RegisterExtension
  static final EtcdClusterExtension ETCD =
      EtcdClusterExtension.of(EtcdCluster.builder().members(3).name("v3-watch-failover"));

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);
  private static final EtcdV3Config CONFIG =
      EtcdV3Config.builder()
          .connectionTimeout(Duration.ofSeconds(1))
          .requestTimeout(REQUEST_TIMEOUT)
          .build();

  /** The writer under a leader's death: its unknown outcomes are read back, so keep it short. */
  private static final EtcdV3Config WRITER =
      EtcdV3Config.builder().requestTimeout(Duration.ofSeconds(3)).build();

  private static final int WRITES = 100;
  private static final int FAULT_AT = 30;

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

  private static List<String> startingWith(EtcdMember first) {
    List<String> endpoints = new ArrayList<>(List.of(first.clientEndpoint()));
    ETCD.cluster().members().stream()
        .filter(m -> m != first)
        .forEach(m -> endpoints.add(m.clientEndpoint()));
    return endpoints;
  }

  private static List<String> without(EtcdMember left) {
    List<String> endpoints = new ArrayList<>();
    EtcdMember leader = ETCD.cluster().leader();
    if (leader != left) {
      endpoints.add(leader.clientEndpoint());
    }
    ETCD.cluster().members().stream()
        .filter(m -> m != left && m != leader)
        .forEach(m -> endpoints.add(m.clientEndpoint()));
    return endpoints;
  }

  private static void awaitStreamOn(WatchTesting.Opened o, EtcdMember member) {
    await("the watch stream open")
        .atMost(Duration.ofSeconds(10))
        .until(() -> o.stream().member() != null);
    assertThat(o.stream().member()).isEqualTo(URI.create(member.clientEndpoint()));
  }

  private static EtcdMember aFollower() {
    EtcdMember leader = ETCD.cluster().leader();
    return ETCD.cluster().members().stream().filter(m -> m != leader).findFirst().orElseThrow();
  }

  /**
   * Writes {@code 1..WRITES} to {@code key}, one at a time. A write whose outcome is unknown (the
   * leader died under it) is read back and written again only if it is not there.
   */
  private static CompletableFuture<Void> writeAll(Store writer, String key) {
    return onThread(
        "writer",
        () -> {
          for (int i = 1; i <= WRITES; i++) {
            String value = Integer.toString(i);
            while (true) {
              try {
                writer.put(key, utf8(value));
                break;
              } catch (StoreUnavailableException e) {
                if (e.outcomeUnknown() && readBack(writer, key, value)) {
                  break;
                }
              }
            }
          }
          return null;
        });
  }

  private static boolean readBack(Store writer, String key, String value) {
    while (true) {
      try {
        return writer.get(key).valueAsString().equals(value);
      } catch (StoreException e) {
        // no quorum yet: ask again (each attempt takes its request timeout)
      }
    }
  }

  /** Takes every update up to the last write; {@code fault} runs once FAULT_AT have come. */
  private static List<KVPair> follow(Watch<KeyEvent> watch, Runnable fault) throws Exception {
    List<KVPair> delivered = new ArrayList<>();
    List<KeyEvent> seen = new ArrayList<>();
    pollUntil(
        watch,
        e -> e.pair().valueAsString().equals(Integer.toString(FAULT_AT)),
        WatchTesting.AWAIT,
        seen);
    fault.run();
    pollUntil(
        watch,
        e -> e.pair().valueAsString().equals(Integer.toString(WRITES)),
        Duration.ofSeconds(60),
        seen);
    seen.forEach(e -> delivered.add(e.pair()));
    return delivered;
  }

  private static void assertDeliveredIsHistory(
      List<KVPair> delivered, String key, long from, Watch<?> watch) throws Exception {
    try (TestSupport.Raw raw = new TestSupport.Raw(ETCD.cluster().leader().clientEndpoint())) {
      assertThat(delivered)
          .as("what the watch delivered, against etcd's history")
          .containsExactlyElementsOf(history(raw, key, from));
    }
    assertThat(watch.poll(Duration.ofMillis(300))).as("an update after the last write").isNull();
    assertThat(watch.isClosed()).isFalse();
  }

  @Test
  void aWatchWhoseMemberIsKilledResumesElsewhereMissingAndRepeatingNothing() throws Exception {
    String key = "failover/killed/k";
    EtcdMember member = aFollower();
    try (Store writer = EtcdV3Store.open(without(member), null);
        WatchTesting.Opened o = open(startingWith(member), CONFIG)) {
      writer.put(key, utf8("0"));
      try (Watch<KeyEvent> watch = o.store().watchEvents(key)) {
        long from = next(watch).pair().lastIndex();
        awaitStreamOn(o, member);
        CompletableFuture<Void> writes = writeAll(writer, key);

        List<KVPair> delivered = follow(watch, member::kill);
        writes.get(60, TimeUnit.SECONDS);

        assertDeliveredIsHistory(delivered, key, from, watch);
        assertThat(o.stream().member()).isNotEqualTo(URI.create(member.clientEndpoint()));
      }
    }
  }

  @Test
  void aWatchWhoseMemberRestartsResumesMissingAndRepeatingNothing() throws Exception {
    String key = "failover/restarted/k";
    EtcdMember member = aFollower();
    try (Store writer = EtcdV3Store.open(without(member), null);
        WatchTesting.Opened o = open(startingWith(member), CONFIG)) {
      writer.put(key, utf8("0"));
      try (Watch<KeyEvent> watch = o.store().watchEvents(key)) {
        long from = next(watch).pair().lastIndex();
        CompletableFuture<Void> writes = writeAll(writer, key);

        List<KVPair> delivered =
            follow(
                watch,
                () -> {
                  member.stop();
                  member.start();
                });
        writes.get(60, TimeUnit.SECONDS);

        assertDeliveredIsHistory(delivered, key, from, watch);
      }
    }
  }

  @Test
  void aWatchWhoseMemberIsPausedMovesAndDeliversAWriteMadeThroughAnotherMember() throws Exception {
    String key = "failover/paused/k";
    EtcdMember member = aFollower();
    try (Store writer = EtcdV3Store.open(without(member), null);
        WatchTesting.Opened o = open(startingWith(member), CONFIG)) {
      writer.put(key, utf8("0"));
      try (Watch<KeyEvent> watch = o.store().watchEvents(key)) {
        long from = next(watch).pair().lastIndex();
        awaitStreamOn(o, member);

        member.pause();
        long pausedAt = System.nanoTime();
        writer.put(key, utf8("after the pause"));
        KeyEvent event = next(watch);
        figure(
            "v3 watch: from the pause of its member to the next delivered event: %d ms"
                + " (request timeout %d ms)",
            millisSince(pausedAt), REQUEST_TIMEOUT.toMillis());

        assertThat(event.pair().valueAsString()).isEqualTo("after the pause");
        assertThat(o.stream().member()).isNotEqualTo(URI.create(member.clientEndpoint()));
        member.resume();
        writer.put(key, utf8("after the resume"));
        List<KVPair> delivered = new ArrayList<>(List.of(event.pair(), next(watch).pair()));
        assertDeliveredIsHistory(delivered, key, from, watch);
      }
    }
  }

  @Test
  void aWatchOnAFollowerGoesOnWhenTheLeaderIsKilledUnderWrites() throws Exception {
    String key = "failover/leader-killed/k";
    EtcdMember leader = ETCD.cluster().leader();
    EtcdMember watched = aFollower();
    EtcdMember writeThrough =
        ETCD.cluster().members().stream()
            .filter(m -> m != leader && m != watched)
            .findFirst()
            .orElseThrow();
    try (Store writer = EtcdV3Store.open(startingWith(writeThrough), WRITER);
        WatchTesting.Opened o = open(startingWith(watched), CONFIG)) {
      writer.put(key, utf8("0"));
      try (Watch<KeyEvent> watch = o.store().watchEvents(key)) {
        long from = next(watch).pair().lastIndex();
        CompletableFuture<Void> writes = writeAll(writer, key);

        List<KVPair> delivered = follow(watch, leader::kill);
        writes.get(60, TimeUnit.SECONDS);

        assertDeliveredIsHistory(delivered, key, from, watch);
        figure(
            "v3 watch on a follower, leader killed under writes: %d watch stream(s) opened"
                + " (1 = no interruption)",
            o.stream().streamsOpened());
      }
    }
  }

  @Test
  void aWatchWhoseMemberLostItsLeaderLeavesItAndMissesNothingOnceTheQuorumIsBack()
      throws Exception {
    String key = "failover/no-leader/k";
    EtcdMember member = aFollower();
    List<EtcdMember> others = ETCD.cluster().members().stream().filter(m -> m != member).toList();
    try (Store writer = EtcdV3Store.open(without(member), null);
        WatchTesting.Opened o = open(startingWith(member), CONFIG)) {
      writer.put(key, utf8("0"));
      try (Watch<KeyEvent> watch = o.store().watchEvents(key)) {
        long from = next(watch).pair().lastIndex();
        awaitStreamOn(o, member);

        others.forEach(EtcdMember::kill); // the member runs on, without a leader
        long lostAt = System.nanoTime();
        await("the stream left the member without a leader")
            .atMost(Duration.ofSeconds(30))
            .until(() -> o.stream().streamsOpened() > 1);
        figure(
            "v3 watch: from the loss of its member's leader to leaving the member: %d ms",
            millisSince(lostAt));
        others.forEach(EtcdMember::startWithoutWaiting);
        others.forEach(EtcdMember::awaitReady);
        writer.put(key, utf8("1"));

        KeyEvent event = next(watch);
        assertThat(event.pair().valueAsString()).isEqualTo("1");
        assertDeliveredIsHistory(List.of(event.pair()), key, from, watch);
      }
    }
  }
}
