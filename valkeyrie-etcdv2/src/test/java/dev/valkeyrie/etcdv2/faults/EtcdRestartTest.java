package dev.valkeyrie.etcdv2.faults;

import static dev.valkeyrie.etcdv2.TestSupport.figure;
import static dev.valkeyrie.etcdv2.TestSupport.millisSince;
import static dev.valkeyrie.etcdv2.TestSupport.utf8;
import static dev.valkeyrie.etcdv2.faults.FaultSupport.assertStrictlyIncreasingIndexes;
import static dev.valkeyrie.etcdv2.faults.FaultSupport.pollUntil;
import static dev.valkeyrie.etcdv2.faults.FaultSupport.startWaiter;
import static dev.valkeyrie.etcdv2.faults.FaultSupport.take;
import static dev.valkeyrie.etcdv2.faults.FaultSupport.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.etcd.launcher.EtcdCluster;
import dev.valkeyrie.etcd.launcher.EtcdMember;
import dev.valkeyrie.etcdv2.EtcdV2Config;
import dev.valkeyrie.etcdv2.EtcdV2Store;
import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.Lease;
import dev.valkeyrie.store.LockOptions;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.store.Watch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A single etcd killed with SIGKILL and started again on the same data directory and port, while
 * watches are open and locks are held and waited for.
 */
class EtcdRestartTest {
  @RegisterExtension
  static final EtcdClusterExtension ETCD =
      EtcdClusterExtension.of(EtcdCluster.builder().members(1).name("restart"));

  private static final EtcdV2Config CONFIG =
      EtcdV2Config.builder()
          .requestTimeout(Duration.ofSeconds(2))
          .connectionTimeout(Duration.ofSeconds(1))
          .watchIdleTimeout(Duration.ofSeconds(2))
          .build();

  private static final int CHANGES = 40;

  /** Whatever a test left stopped is started again, so the next test finds etcd running. */
  @AfterEach
  void etcdRunsAgain() {
    ETCD.cluster().member(0).start();
  }

  @Test
  void keyWatchDeliversEveryChangeMadeAfterAKillAndRestartInOrderWithoutRepeats() throws Exception {
    EtcdMember member = ETCD.cluster().member(0);
    String key = "restart/key-watch/k";
    try (Store store = EtcdV2Store.open(ETCD.endpoints(), CONFIG)) {
      store.put(key, utf8("before"));
      try (Watch<KVPair> watch = store.watch(key)) {
        assertThat(watch.take().valueAsString()).isEqualTo("before");

        member.kill();
        member.start();
        List<String> written = new ArrayList<>();
        KVPair latest;
        // A store opened now, so that the writes test the watch only (see the tests below).
        try (Store writer = EtcdV2Store.open(ETCD.endpoints(), CONFIG)) {
          for (int i = 1; i <= CHANGES; i++) {
            writer.put(key, utf8("after-" + i));
            written.add("after-" + i);
          }
          latest = writer.get(key);
        }

        List<KVPair> received = take(watch, CHANGES, Duration.ofSeconds(30));
        assertThat(values(received)).containsExactlyElementsOf(written);
        assertStrictlyIncreasingIndexes(received);
        assertThat(received.get(CHANGES - 1)).isEqualTo(latest);
        assertThat(watch.poll(Duration.ofMillis(300)))
            .as("an update after the last change")
            .isNull();
        assertThat(watch.isClosed()).isFalse();
      }
    }
  }

  @Test
  void treeWatchEndsOnTheCurrentListingAfterAKillAndRestart() throws Exception {
    EtcdMember member = ETCD.cluster().member(0);
    String dir = "restart/tree-watch";
    try (Store store = EtcdV2Store.open(ETCD.endpoints(), CONFIG)) {
      store.put(dir + "/a", utf8("0"));
      store.put(dir + "/gone/x", utf8("0"));
      try (Watch<List<KVPair>> watch = store.watchTree(dir)) {
        assertThat(watch.take()).isEqualTo(store.list(dir));

        member.kill();
        member.start();
        List<KVPair> expected;
        // A store opened now, so that the writes test the watch only (see the tests below).
        try (Store writer = EtcdV2Store.open(ETCD.endpoints(), CONFIG)) {
          for (int i = 1; i <= CHANGES; i++) {
            writer.put(dir + "/k" + (i % 7), utf8("v" + i));
            writer.put(dir + "/sub/s" + (i % 3), utf8("v" + i));
          }
          writer.deleteTree(dir + "/gone");
          writer.delete(dir + "/k3");
          expected = writer.list(dir);
        }

        pollUntil(watch, expected::equals, Duration.ofSeconds(30));
        assertThat(watch.isClosed()).isFalse();
      }
    }
  }

  @Test
  void aHeldLockSurvivesAKillAndRestartShorterThanItsTtl() throws Exception {
    EtcdMember member = ETCD.cluster().member(0);
    String key = "restart/lock-survives";
    // Renewed every 5 s; etcd is down for a restart's length (a few seconds at most).
    LockOptions options = LockOptions.builder().ttl(Duration.ofSeconds(15)).build();
    try (Store holder = EtcdV2Store.open(ETCD.endpoints(), CONFIG);
        Store other = EtcdV2Store.open(ETCD.endpoints(), CONFIG)) {
      Lease lease = holder.newLock(key, options).lock();

      member.kill();
      member.start();

      // A refresh changes the side key's modifiedIndex: the holder renews it after the restart.
      long afterRestart = other.get(key + "___lock").lastIndex();
      await("the lock renewed after the restart")
          .atMost(Duration.ofSeconds(20))
          .until(() -> other.get(key + "___lock").lastIndex() > afterRestart);
      assertThat(lease.released()).as("released() of a lock renewed after the restart").isNotDone();
      assertThat(other.newLock(key, options).tryLock(Duration.ofMillis(500))).isEmpty();
      lease.close();
      assertThat(lease.released()).isDone();
    }
  }

  @Test
  void aHeldLockIsReleasedWhileEtcdIsDownPastTheTtlAndAWaiterAcquiresAfterTheRestart()
      throws Exception {
    EtcdMember member = ETCD.cluster().member(0);
    String endpoint = member.clientEndpoint();
    String key = "restart/lock-lost";
    LockOptions options = LockOptions.builder().ttl(Duration.ofSeconds(2)).build();
    try (Store holder = EtcdV2Store.open(ETCD.endpoints(), CONFIG);
        Store waiting = EtcdV2Store.open(ETCD.endpoints(), CONFIG)) {
      Lease lease = holder.newLock(key, options).lock();
      CompletableFuture<Optional<Lease>> waiter =
          startWaiter(waiting, endpoint, key, options, Duration.ofSeconds(40));

      member.kill();
      long killedAt = System.nanoTime();
      await("released() while etcd is down")
          .atMost(Duration.ofSeconds(15))
          .until(() -> lease.released().isDone());
      figure(
          "restart: held lock (TTL 2 s) reported lost %d ms after etcd was killed",
          millisSince(killedAt));
      assertThat(waiter).isNotDone();

      member.start();
      long startedAt = System.nanoTime();
      Optional<Lease> next = waiter.get(20, TimeUnit.SECONDS);
      figure(
          "restart: waiter acquired %d ms after etcd was up again (down %d ms in all)",
          millisSince(startedAt), millisSince(killedAt));
      assertThat(next).isPresent();
      assertThat(next.get().fencingToken()).isGreaterThan(lease.fencingToken());
      next.get().close();
    }
  }

  /**
   * A store used before the restart has keep-alive connections to the old process in its pool; the
   * kill closed them. The first write afterwards must not be sent on one of them: that fails with
   * "outcome unknown" although etcd never saw the write.
   */
  @Test
  void theFirstWriteAfterARestartSucceedsOnAStoreOpenAcrossIt() throws Exception {
    EtcdMember member = ETCD.cluster().member(0);
    try (Store store = EtcdV2Store.open(ETCD.endpoints(), CONFIG)) {
      store.put("restart/first-write/k", utf8("before"));
      assertThat(store.get("restart/first-write/k").valueAsString()).isEqualTo("before");

      member.kill();
      member.start();

      store.put("restart/first-write/k", utf8("after"));
      assertThat(store.get("restart/first-write/k").valueAsString()).isEqualTo("after");
    }
  }

  /** As above, for a read: with a single endpoint there is no other member to move to. */
  @Test
  void theFirstReadAfterARestartSucceedsOnAStoreOpenAcrossIt() throws Exception {
    EtcdMember member = ETCD.cluster().member(0);
    try (Store store = EtcdV2Store.open(ETCD.endpoints(), CONFIG)) {
      store.put("restart/first-read/k", utf8("before"));
      assertThat(store.get("restart/first-read/k").valueAsString()).isEqualTo("before");

      member.kill();
      member.start();

      assertThat(store.get("restart/first-read/k").valueAsString()).isEqualTo("before");
    }
  }
}
