package dev.valkeyrie.etcdv2.faults;

import static dev.valkeyrie.etcdv2.TestSupport.figure;
import static dev.valkeyrie.etcdv2.TestSupport.millisSince;
import static dev.valkeyrie.etcdv2.TestSupport.onThread;
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
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A single etcd frozen with SIGSTOP and resumed with SIGCONT (a long GC pause, a frozen VM) while
 * watches are open and locks are held and waited for.
 */
class EtcdPauseTest {
  @RegisterExtension
  static final EtcdClusterExtension ETCD =
      EtcdClusterExtension.of(EtcdCluster.builder().members(1).name("pause"));

  /** Idle polls re-issued every second: several of them go to the frozen member. */
  private static final EtcdV2Config CONFIG =
      EtcdV2Config.builder()
          .requestTimeout(Duration.ofSeconds(1))
          .connectionTimeout(Duration.ofSeconds(1))
          .watchIdleTimeout(Duration.ofSeconds(1))
          .build();

  /** How long the short pauses last: a fault of fixed length, not a wait for a condition. */
  private static final Duration SHORT_PAUSE = Duration.ofMillis(2_500);

  private static final int CHANGES = 40;

  @AfterEach
  void etcdRunsAgain() {
    EtcdMember member = ETCD.cluster().member(0);
    if (member.isRunning()) {
      member.resume(); // a no-op unless a failed test left it paused
    }
  }

  @Test
  void keyWatchDeliversEveryChangeMadeAfterAPauseInOrderWithoutRepeats() throws Exception {
    String key = "pause/key-watch/k";
    try (Store store = EtcdV2Store.open(ETCD.endpoints(), CONFIG)) {
      store.put(key, utf8("before"));
      try (Watch<KVPair> watch = store.watch(key)) {
        assertThat(watch.take().valueAsString()).isEqualTo("before");

        pauseFor(SHORT_PAUSE, "the watch while etcd is frozen", () -> !watch.isClosed());
        List<String> written = new ArrayList<>();
        for (int i = 1; i <= CHANGES; i++) {
          store.put(key, utf8("after-" + i));
          written.add("after-" + i);
        }

        List<KVPair> received = take(watch, CHANGES, Duration.ofSeconds(30));
        assertThat(values(received)).containsExactlyElementsOf(written);
        assertStrictlyIncreasingIndexes(received);
        assertThat(received.get(CHANGES - 1)).isEqualTo(store.get(key));
        assertThat(watch.poll(Duration.ofMillis(300)))
            .as("an update after the last change")
            .isNull();
        assertThat(watch.isClosed()).isFalse();
      }
    }
  }

  @Test
  void writesBlockedByAPauseReachTheKeyWatchInOrderAfterResume() throws Exception {
    EtcdMember member = ETCD.cluster().member(0);
    String key = "pause/blocked-writes/k";
    EtcdV2Config patient = EtcdV2Config.builder().requestTimeout(Duration.ofSeconds(20)).build();
    try (Store store = EtcdV2Store.open(ETCD.endpoints(), CONFIG);
        Store writer = EtcdV2Store.open(ETCD.endpoints(), patient)) {
      store.put(key, utf8("before"));
      try (Watch<KVPair> watch = store.watch(key)) {
        assertThat(watch.take().valueAsString()).isEqualTo("before");
        CompletableFuture<Void> writes;
        member.pause();
        try {
          // The first write is sent while etcd is frozen; it completes once etcd runs again.
          writes =
              onThread(
                  "writer",
                  () -> {
                    for (int i = 1; i <= CHANGES; i++) {
                      writer.put(key, utf8("after-" + i));
                    }
                    return null;
                  });
          // The writes stay blocked for as long as etcd is frozen.
          await("writes while etcd is frozen")
              .during(SHORT_PAUSE)
              .atMost(SHORT_PAUSE.plusSeconds(5))
              .until(() -> !writes.isDone());
        } finally {
          member.resume();
        }
        writes.get(30, TimeUnit.SECONDS);

        List<KVPair> received = take(watch, CHANGES, Duration.ofSeconds(30));
        assertThat(values(received))
            .containsExactlyElementsOf(
                java.util.stream.IntStream.rangeClosed(1, CHANGES)
                    .mapToObj(i -> "after-" + i)
                    .toList());
        assertStrictlyIncreasingIndexes(received);
      }
    }
  }

  @Test
  void treeWatchEndsOnTheCurrentListingAfterAPause() throws Exception {
    String dir = "pause/tree-watch";
    try (Store store = EtcdV2Store.open(ETCD.endpoints(), CONFIG)) {
      store.put(dir + "/a", utf8("0"));
      store.put(dir + "/gone/x", utf8("0"));
      try (Watch<List<KVPair>> watch = store.watchTree(dir)) {
        assertThat(watch.take()).isEqualTo(store.list(dir));

        pauseFor(SHORT_PAUSE, "the tree watch while etcd is frozen", () -> !watch.isClosed());
        for (int i = 1; i <= CHANGES; i++) {
          store.put(dir + "/k" + (i % 7), utf8("v" + i));
          store.put(dir + "/sub/s" + (i % 3), utf8("v" + i));
        }
        store.deleteTree(dir + "/gone");
        store.delete(dir + "/k3");

        List<KVPair> expected = store.list(dir);
        List<List<KVPair>> seen = new ArrayList<>();
        pollUntil(watch, expected::equals, Duration.ofSeconds(30), seen);
        assertThat(seen.get(seen.size() - 1)).isEqualTo(store.list(dir));
        assertThat(watch.isClosed()).isFalse();
      }
    }
  }

  @Test
  void aHeldLockSurvivesAPauseShorterThanItsTtlAndTheWaiterKeepsWaiting() throws Exception {
    String endpoint = ETCD.cluster().member(0).clientEndpoint();
    String key = "pause/lock-survives";
    // Renewed every 3 s; the pause plus one renewal period stays 3.5 s under the TTL.
    LockOptions options = LockOptions.builder().ttl(Duration.ofSeconds(9)).build();
    try (Store holder = EtcdV2Store.open(ETCD.endpoints(), CONFIG);
        Store waiting = EtcdV2Store.open(ETCD.endpoints(), CONFIG)) {
      Lease lease = holder.newLock(key, options).lock();
      CompletableFuture<Optional<Lease>> waiter =
          startWaiter(waiting, endpoint, key, options, Duration.ofSeconds(40));

      pauseFor(
          SHORT_PAUSE,
          "the lock while etcd is frozen",
          () -> !lease.released().isDone() && !waiter.isDone());

      // A refresh changes the side key's modifiedIndex: the holder renews it after the pause.
      long afterPause = holder.get(key + "___lock").lastIndex();
      await("the lock renewed after the pause")
          .atMost(Duration.ofSeconds(15))
          .until(() -> holder.get(key + "___lock").lastIndex() > afterPause);
      assertThat(lease.released()).as("released() after a pause shorter than the TTL").isNotDone();
      assertThat(waiter).as("the waiter while the lock is held").isNotDone();

      lease.close();
      long unlockedAt = System.nanoTime();
      Optional<Lease> next = waiter.get(15, TimeUnit.SECONDS);
      figure("pause: waiter acquired %d ms after unlock", millisSince(unlockedAt));
      assertThat(next).isPresent();
      assertThat(next.get().fencingToken()).isGreaterThan(lease.fencingToken());
      next.get().close();
    }
  }

  @Test
  void aHeldLockIsReleasedWhenEtcdIsPausedPastTheTtlAndTheWaiterAcquiresAfterResume()
      throws Exception {
    EtcdMember member = ETCD.cluster().member(0);
    String endpoint = member.clientEndpoint();
    String key = "pause/lock-lost";
    LockOptions options = LockOptions.builder().ttl(Duration.ofSeconds(2)).build();
    try (Store holder = EtcdV2Store.open(ETCD.endpoints(), CONFIG);
        Store waiting = EtcdV2Store.open(ETCD.endpoints(), CONFIG)) {
      Lease lease = holder.newLock(key, options).lock();
      CompletableFuture<Optional<Lease>> waiter =
          startWaiter(waiting, endpoint, key, options, Duration.ofSeconds(40));

      member.pause();
      long pausedAt = System.nanoTime();
      try {
        await("released() while etcd is paused")
            .atMost(Duration.ofSeconds(15))
            .until(() -> lease.released().isDone());
        figure(
            "pause: held lock (TTL 2 s) reported lost %d ms after etcd was paused",
            millisSince(pausedAt));
        assertThat(waiter).isNotDone();
      } finally {
        member.resume();
      }
      long resumedAt = System.nanoTime();

      Optional<Lease> next = waiter.get(20, TimeUnit.SECONDS);
      figure("pause: waiter acquired %d ms after etcd resumed", millisSince(resumedAt));
      assertThat(next).isPresent();
      assertThat(next.get().fencingToken()).isGreaterThan(lease.fencingToken());
      next.get().close();
    }
  }

  /**
   * Freezes etcd for {@code length}, checking all along that {@code unaffected} holds, then lets it
   * run again (also when the check fails).
   */
  private static void pauseFor(Duration length, String what, Callable<Boolean> unaffected) {
    EtcdMember member = ETCD.cluster().member(0);
    member.pause();
    try {
      await(what).during(length).atMost(length.plusSeconds(5)).until(unaffected);
    } finally {
      member.resume();
    }
  }
}
