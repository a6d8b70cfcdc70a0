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
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A single etcd frozen with SIGSTOP and resumed with SIGCONT (a long GC pause, a frozen VM), or
 * killed with SIGKILL and started again on the same data directory and port, while watches are open
 * and locks are held and waited for. What both faults must leave intact is one test over {@link
 * EtcdFault}; what only one of them can show is a test of its own.
 */
class EtcdPauseAndRestartTest {
  @RegisterExtension
  static final EtcdClusterExtension ETCD =
      EtcdClusterExtension.of(EtcdCluster.builder().members(1).name("pause-restart"));

  /** Idle polls re-issued every second: several of them go to the frozen member. */
  private static final EtcdV2Config PAUSE_CONFIG =
      EtcdV2Config.builder()
          .requestTimeout(Duration.ofSeconds(1))
          .connectionTimeout(Duration.ofSeconds(1))
          .watchIdleTimeout(Duration.ofSeconds(1))
          .build();

  private static final EtcdV2Config RESTART_CONFIG =
      EtcdV2Config.builder()
          .requestTimeout(Duration.ofSeconds(2))
          .connectionTimeout(Duration.ofSeconds(1))
          .watchIdleTimeout(Duration.ofSeconds(2))
          .build();

  /** How long the short pauses last: a fault of fixed length, not a wait for a condition. */
  private static final Duration SHORT_PAUSE = Duration.ofMillis(2_500);

  private static final int CHANGES = 40;

  /** What happens to the member; each fault with the store configuration it is tested with. */
  // EtcdV2Config is final-fielded and never changed after build(); the checker only wants an
  // @Immutable annotation it does not carry.
  @SuppressWarnings("ImmutableEnumChecker")
  enum EtcdFault {
    /** Frozen for {@link EtcdPauseAndRestartTest#SHORT_PAUSE}, then resumed. */
    PAUSED("pause", "paused", "resumed", "frozen", PAUSE_CONFIG) {
      @Override
      void inject(EtcdMember member) {
        member.pause();
      }

      @Override
      void undo(EtcdMember member) {
        member.resume();
      }

      @Override
      void last(String what, Callable<Boolean> unaffected) {
        await(what).during(SHORT_PAUSE).atMost(SHORT_PAUSE.plusSeconds(5)).until(unaffected);
      }
    },
    /** Killed, then started again at once: down for as long as a restart takes. */
    KILLED_AND_RESTARTED("restart", "killed", "was up again", "down", RESTART_CONFIG) {
      @Override
      void inject(EtcdMember member) {
        member.kill();
      }

      @Override
      void undo(EtcdMember member) {
        member.start();
      }

      @Override
      void last(String what, Callable<Boolean> unaffected) {
        // started again at once: the fault lasts as long as the restart takes
      }
    };

    /** The first part of this fault's keys and figures. */
    final String label;

    /** What etcd was after {@link #inject}, and after {@link #undo}; what it was in between. */
    final String injected;

    final String undone;
    final String state;
    final EtcdV2Config config;

    EtcdFault(String label, String injected, String undone, String state, EtcdV2Config config) {
      this.label = label;
      this.injected = injected;
      this.undone = undone;
      this.state = state;
      this.config = config;
    }

    abstract void inject(EtcdMember member);

    abstract void undo(EtcdMember member);

    /** Lets the fault last, checking all along that {@code unaffected} holds where it can. */
    abstract void last(String what, Callable<Boolean> unaffected);

    /** Injects the fault, lets it last, and undoes it (also when the check fails). */
    void strike(EtcdMember member, String what, Callable<Boolean> unaffected) {
      inject(member);
      try {
        last(what, unaffected);
      } finally {
        undo(member);
      }
    }
  }

  /** Whatever a test left paused or stopped runs again, so the next test finds etcd running. */
  @AfterEach
  void etcdRunsAgain() {
    EtcdMember member = member();
    if (member.isRunning()) {
      member.resume(); // a no-op unless a failed test left it paused
    } else {
      member.start();
    }
  }

  private static EtcdMember member() {
    return ETCD.cluster().member(0);
  }

  @ParameterizedTest
  @EnumSource(EtcdFault.class)
  void keyWatchDeliversEveryChangeMadeAfterTheFaultInOrderWithoutRepeats(EtcdFault fault)
      throws Exception {
    String key = fault.label + "/key-watch/k";
    try (Store store = EtcdV2Store.open(ETCD.endpoints(), fault.config)) {
      store.put(key, utf8("before"));
      try (Watch<KVPair> watch = store.watch(key)) {
        assertThat(watch.take().valueAsString()).isEqualTo("before");

        fault.strike(
            member(), "the watch while etcd is " + fault.injected, () -> !watch.isClosed());
        List<String> written = new ArrayList<>();
        KVPair latest;
        // A store opened now, so that the writes test the watch only (the first write on a store
        // open across a restart has a test of its own).
        try (Store writer = EtcdV2Store.open(ETCD.endpoints(), fault.config)) {
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

  @ParameterizedTest
  @EnumSource(EtcdFault.class)
  void treeWatchEndsOnTheCurrentListingAfterTheFault(EtcdFault fault) throws Exception {
    String dir = fault.label + "/tree-watch";
    try (Store store = EtcdV2Store.open(ETCD.endpoints(), fault.config)) {
      store.put(dir + "/a", utf8("0"));
      store.put(dir + "/gone/x", utf8("0"));
      try (Watch<List<KVPair>> watch = store.watchTree(dir)) {
        assertThat(watch.take()).isEqualTo(store.list(dir));

        fault.strike(
            member(), "the tree watch while etcd is " + fault.injected, () -> !watch.isClosed());
        // A store opened now, so that the writes test the watch only.
        try (Store writer = EtcdV2Store.open(ETCD.endpoints(), fault.config)) {
          for (int i = 1; i <= CHANGES; i++) {
            writer.put(dir + "/k" + (i % 7), utf8("v" + i));
            writer.put(dir + "/sub/s" + (i % 3), utf8("v" + i));
          }
          writer.deleteTree(dir + "/gone");
          writer.delete(dir + "/k3");

          List<KVPair> expected = writer.list(dir);
          List<List<KVPair>> seen = new ArrayList<>();
          pollUntil(watch, expected::equals, Duration.ofSeconds(30), seen);
          assertThat(seen.get(seen.size() - 1)).isEqualTo(writer.list(dir));
        }
        assertThat(watch.isClosed()).isFalse();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(EtcdFault.class)
  void aHeldLockSurvivesAFaultShorterThanItsTtlAndTheWaiterKeepsWaiting(EtcdFault fault)
      throws Exception {
    String endpoint = member().clientEndpoint();
    String key = fault.label + "/lock-survives";
    // Renewed every 5 s; the fault (a 2.5 s pause, or a restart: a few seconds at most) plus one
    // renewal period stays under the TTL.
    LockOptions options = LockOptions.builder().ttl(Duration.ofSeconds(15)).build();
    try (Store holder = EtcdV2Store.open(ETCD.endpoints(), fault.config);
        Store waiting = EtcdV2Store.open(ETCD.endpoints(), fault.config);
        Store other = EtcdV2Store.open(ETCD.endpoints(), fault.config)) {
      Lease lease = holder.newLock(key, options).lock();
      CompletableFuture<Optional<Lease>> waiter =
          startWaiter(waiting, endpoint, key, options, Duration.ofSeconds(40));

      fault.strike(
          member(),
          "the lock while etcd is " + fault.injected,
          () -> !lease.released().isDone() && !waiter.isDone());

      // A refresh changes the side key's modifiedIndex: the holder renews it after the fault.
      long afterFault = other.get(key + "___lock").lastIndex();
      await("the lock renewed after etcd " + fault.undone)
          .atMost(Duration.ofSeconds(20))
          .until(() -> other.get(key + "___lock").lastIndex() > afterFault);
      assertThat(lease.released()).as("released() after a fault shorter than the TTL").isNotDone();
      assertThat(waiter).as("the waiter while the lock is held").isNotDone();
      assertThat(other.newLock(key, options).tryLock(Duration.ofMillis(500))).isEmpty();

      lease.close();
      long unlockedAt = System.nanoTime();
      Optional<Lease> next = waiter.get(15, TimeUnit.SECONDS);
      figure("%s: waiter acquired %d ms after unlock", fault.label, millisSince(unlockedAt));
      assertThat(lease.released()).isDone();
      assertThat(next).isPresent();
      assertThat(next.get().fencingToken()).isGreaterThan(lease.fencingToken());
      next.get().close();
    }
  }

  @ParameterizedTest
  @EnumSource(EtcdFault.class)
  void aHeldLockIsReleasedWhenTheFaultOutlastsTheTtlAndTheWaiterAcquiresAfterIt(EtcdFault fault)
      throws Exception {
    EtcdMember member = member();
    String endpoint = member.clientEndpoint();
    String key = fault.label + "/lock-lost";
    LockOptions options = LockOptions.builder().ttl(Duration.ofSeconds(2)).build();
    try (Store holder = EtcdV2Store.open(ETCD.endpoints(), fault.config);
        Store waiting = EtcdV2Store.open(ETCD.endpoints(), fault.config)) {
      Lease lease = holder.newLock(key, options).lock();
      CompletableFuture<Optional<Lease>> waiter =
          startWaiter(waiting, endpoint, key, options, Duration.ofSeconds(40));

      fault.inject(member);
      long injectedAt = System.nanoTime();
      try {
        await("released() while etcd is " + fault.injected)
            .atMost(Duration.ofSeconds(15))
            .until(() -> lease.released().isDone());
        figure(
            "%s: held lock (TTL 2 s) reported lost %d ms after etcd was %s",
            fault.label, millisSince(injectedAt), fault.injected);
        assertThat(waiter).isNotDone();
      } finally {
        fault.undo(member);
      }
      long undoneAt = System.nanoTime();

      Optional<Lease> next = waiter.get(20, TimeUnit.SECONDS);
      figure(
          "%s: waiter acquired %d ms after etcd %s (%s %d ms in all)",
          fault.label, millisSince(undoneAt), fault.undone, fault.state, millisSince(injectedAt));
      assertThat(next).isPresent();
      assertThat(next.get().fencingToken()).isGreaterThan(lease.fencingToken());
      next.get().close();
    }
  }

  /** Only a pause keeps a request waiting: a killed member refuses it. */
  @Test
  void writesBlockedByAPauseReachTheKeyWatchInOrderAfterResume() throws Exception {
    EtcdMember member = member();
    String key = "pause/blocked-writes/k";
    EtcdV2Config patient = EtcdV2Config.builder().requestTimeout(Duration.ofSeconds(20)).build();
    try (Store store = EtcdV2Store.open(ETCD.endpoints(), PAUSE_CONFIG);
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
                IntStream.rangeClosed(1, CHANGES).mapToObj(i -> "after-" + i).toList());
        assertStrictlyIncreasingIndexes(received);
      }
    }
  }

  /**
   * A store used before the restart has keep-alive connections to the old process in its pool; the
   * kill closed them. The first write afterwards must not be sent on one of them: that fails with
   * "outcome unknown" although etcd never saw the write.
   */
  @Test
  void theFirstWriteAfterARestartSucceedsOnAStoreOpenAcrossIt() throws Exception {
    EtcdMember member = member();
    try (Store store = EtcdV2Store.open(ETCD.endpoints(), RESTART_CONFIG)) {
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
    EtcdMember member = member();
    try (Store store = EtcdV2Store.open(ETCD.endpoints(), RESTART_CONFIG)) {
      store.put("restart/first-read/k", utf8("before"));
      assertThat(store.get("restart/first-read/k").valueAsString()).isEqualTo("before");

      member.kill();
      member.start();

      assertThat(store.get("restart/first-read/k").valueAsString()).isEqualTo("before");
    }
  }
}
