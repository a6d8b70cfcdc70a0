package dev.valkeyrie.etcdv2.cluster;

import static dev.valkeyrie.etcdv2.TestSupport.figure;
import static dev.valkeyrie.etcdv2.TestSupport.onThread;
import static dev.valkeyrie.etcdv2.TestSupport.utf8;
import static dev.valkeyrie.etcdv2.cluster.ClusterSupport.aFollower;
import static dev.valkeyrie.etcdv2.cluster.ClusterSupport.endpointsStartingWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.etcd.launcher.EtcdCluster;
import dev.valkeyrie.etcd.launcher.EtcdMember;
import dev.valkeyrie.etcd.launcher.LoggedRequest;
import dev.valkeyrie.etcdv2.EtcdV2Config;
import dev.valkeyrie.etcdv2.EtcdV2Store;
import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.Lease;
import dev.valkeyrie.store.LockNotHeldException;
import dev.valkeyrie.store.LockOptions;
import dev.valkeyrie.store.Locker;
import dev.valkeyrie.store.ReadOptions;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.store.StoreUnavailableException;
import dev.valkeyrie.store.Watch;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The leader of a 3-member cluster is killed with SIGKILL while a store (given all three endpoints)
 * writes, watches and holds a lock. etcd holds every request a follower forwards to the dead leader
 * until its own 7 s timeout, and elects a new leader after about a second: the store must move on
 * within its request timeout, lose nothing it acknowledged, and keep its watches and locks.
 */
class LeaderKillTest {
  // Debug level: members log every request, which the lock test uses to time the kill.
  @RegisterExtension
  static final EtcdClusterExtension ETCD =
      EtcdClusterExtension.of(
          EtcdCluster.builder().members(3).name("leaderkill").extraArgs("--log-level=debug"));

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);
  private static final EtcdV2Config CONFIG =
      EtcdV2Config.builder()
          .requestTimeout(REQUEST_TIMEOUT)
          .connectionTimeout(Duration.ofSeconds(1))
          .watchIdleTimeout(Duration.ofSeconds(2))
          .build();
  private static final ReadOptions STALE = ReadOptions.builder().consistent(false).build();

  /** "Within a few seconds": the request timeout plus an election, with room for a loaded CI. */
  private static final Duration FAILOVER_BOUND = Duration.ofSeconds(10);

  private static final int MAX_WRITES = 200_000;
  private static final int WRITES_BETWEEN_STEPS = 100;

  /** The killed member runs again for the next test. */
  @AfterEach
  void everyMemberRuns() {
    ETCD.cluster().startAll();
  }

  /** One put: when it was sent and when it was answered. */
  private record Write(String key, String value, long sentNanos, long atNanos) {}

  /** Sequential puts of distinct keys; each put's fate recorded. */
  private static final class Writer {
    private final Store store;
    private final String prefix;
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final List<Write> acknowledged = new ArrayList<>(); // guarded by this
    private final List<Write> unknown = new ArrayList<>(); // guarded by this
    private final AtomicBoolean stop = new AtomicBoolean();
    private volatile StoreUnavailableException lastUnknown;

    Writer(Store store, String prefix) {
      this.store = store;
      this.prefix = prefix;
    }

    CompletableFuture<Void> start() {
      return onThread(
          "writer",
          () -> {
            for (int n = 0; n < MAX_WRITES && !stop.get(); n++) {
              String key = String.format("%s/w-%06d", prefix, n);
              String value = "v-" + n + "-" + run;
              long sent = System.nanoTime();
              try {
                store.put(key, utf8(value));
                synchronized (this) {
                  acknowledged.add(new Write(key, value, sent, System.nanoTime()));
                }
              } catch (StoreUnavailableException e) {
                // The outcome is unknown: it may or may not have been applied.
                lastUnknown = e;
                synchronized (this) {
                  unknown.add(new Write(key, value, sent, System.nanoTime()));
                }
              }
            }
            return null;
          });
    }

    synchronized int acknowledgedCount() {
      return acknowledged.size();
    }

    /** The first acknowledged write that was sent after {@code nanos}. */
    synchronized Optional<Write> firstSentAfter(long nanos) {
      return acknowledged.stream().filter(w -> w.sentNanos() - nanos > 0).findFirst();
    }

    /** The longest time between two consecutive acknowledgements. */
    synchronized long longestGapMillis() {
      long longest = 0;
      for (int i = 1; i < acknowledged.size(); i++) {
        longest =
            Math.max(longest, acknowledged.get(i).atNanos() - acknowledged.get(i - 1).atNanos());
      }
      return TimeUnit.NANOSECONDS.toMillis(longest);
    }

    synchronized List<Write> acknowledged() {
      return List.copyOf(acknowledged);
    }

    synchronized List<Write> unknown() {
      return List.copyOf(unknown);
    }

    void awaitMore(int count) {
      int target = acknowledgedCount() + count;
      await("" + target + " acknowledged writes")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> acknowledgedCount() >= target);
    }
  }

  @Test
  void writesResumeWithinSecondsAndNoAcknowledgedWriteIsLost() throws Exception {
    EtcdCluster cluster = ETCD.cluster();
    EtcdMember leader = cluster.leader();
    // A follower first: the write in flight at the kill then hangs there (etcd answers only after
    // 7 s), which is the hard case for the client, and the common one (most clients talk to
    // followers).
    List<String> endpoints = endpointsStartingWith(cluster, aFollower(cluster));
    try (Store store = EtcdV2Store.open(endpoints, CONFIG)) {
      Writer writer = new Writer(store, "leaderkill/writes");
      CompletableFuture<Void> writing = writer.start();
      writer.awaitMore(WRITES_BETWEEN_STEPS);

      long killedAt = System.nanoTime();
      leader.kill();
      long goneAt = System.nanoTime(); // the process has exited: later writes cannot reach it
      // A write committed just before the SIGKILL may be answered just after it; what counts is
      // the first write that the cluster accepted without its old leader.
      await("a write sent after the leader was killed is acknowledged")
          .atMost(FAILOVER_BOUND.plusSeconds(10))
          .pollInterval(Duration.ofMillis(10))
          .until(() -> writer.firstSentAfter(goneAt).isPresent());
      long failoverMs =
          TimeUnit.NANOSECONDS.toMillis(
              writer.firstSentAfter(goneAt).orElseThrow().atNanos() - killedAt);

      writer.awaitMore(WRITES_BETWEEN_STEPS); // with the old leader down
      leader.start(); // rejoins while the writes go on
      writer.awaitMore(WRITES_BETWEEN_STEPS);
      writer.stop.set(true);
      writing.get(30, TimeUnit.SECONDS);
      figure(
          "failover after a leader kill: %d ms from SIGKILL to the acknowledgement of the first"
              + " write sent after it; longest pause between acknowledged writes %d ms"
              + " (store's first endpoint a follower, requestTimeout %d ms)",
          failoverMs, writer.longestGapMillis(), REQUEST_TIMEOUT.toMillis());

      assertThat(Duration.ofMillis(failoverMs)).isLessThan(FAILOVER_BOUND);
      if (writer.lastUnknown != null) {
        assertThat(writer.lastUnknown).hasMessageContaining("leaderkill/writes/w-");
      }
      List<Write> acknowledged = writer.acknowledged();
      List<Write> unknown = writer.unknown();
      Map<String, String> stored =
          store.list("leaderkill/writes").stream()
              .collect(Collectors.toMap(KVPair::key, KVPair::valueAsString));
      List<Write> lost =
          acknowledged.stream().filter(w -> !w.value().equals(stored.get(w.key()))).toList();
      assertThat(lost).as("acknowledged writes missing or altered after the leader kill").isEmpty();
      List<Write> altered =
          unknown.stream()
              .filter(w -> stored.containsKey(w.key()) && !w.value().equals(stored.get(w.key())))
              .toList();
      assertThat(altered).as("writes of unknown outcome stored with another value").isEmpty();
      Set<String> written = new java.util.HashSet<>();
      acknowledged.forEach(w -> written.add(w.key()));
      unknown.forEach(w -> written.add(w.key()));
      assertThat(written).containsAll(stored.keySet());
      long applied = unknown.stream().filter(w -> stored.containsKey(w.key())).count();
      figure(
          "acknowledged writes checked %d (plus %d of unknown outcome, %d of them applied)",
          acknowledged.size(), unknown.size(), applied);

      // The restarted old leader caught up with all of them too.
      try (Store oldLeader = EtcdV2Store.open(List.of(leader.clientEndpoint()), CONFIG)) {
        await("the restarted member has every acknowledged write")
            .atMost(Duration.ofSeconds(20))
            .untilAsserted(
                () -> {
                  Map<String, String> local = new HashMap<>();
                  oldLeader
                      .list("leaderkill/writes", STALE)
                      .forEach(p -> local.put(p.key(), p.valueAsString()));
                  assertThat(acknowledged).allMatch(w -> w.value().equals(local.get(w.key())));
                });
      }
    }
  }

  @Test
  void aKeyWatchReceivesTheChangesMadeAfterTheLeaderIsKilled() throws Exception {
    EtcdCluster cluster = ETCD.cluster();
    EtcdMember leader = cluster.leader();
    String key = "leaderkill/watched";
    // The leader first: the watch's long poll is open on the member that dies.
    try (Store store = EtcdV2Store.open(endpointsStartingWith(cluster, leader), CONFIG)) {
      store.put(key, utf8("before"));
      try (Watch<KVPair> watch = store.watch(key)) {
        assertThat(watch.take().valueAsString()).isEqualTo("before");
        await("the watch's long poll is open on the leader")
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    leader.loggedRequests().stream()
                        .anyMatch(
                            r -> r.is("GET", "/v2/keys/" + key) && r.uri().contains("wait=true")));

        leader.kill();
        List<String> written = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
          String value = "after-" + i;
          // A put of unknown outcome is repeated: the same value, so at most seen twice in a row.
          await("put " + value)
              .atMost(Duration.ofSeconds(20))
              .ignoreException(StoreUnavailableException.class)
              .until(
                  () -> {
                    store.put(key, utf8(value));
                    return true;
                  });
          written.add(value);
        }

        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!seen.contains("after-5") && System.nanoTime() < deadline) {
          KVPair update = watch.poll(Duration.ofMillis(500));
          if (update != null
              && (seen.isEmpty() || !seen.get(seen.size() - 1).equals(update.valueAsString()))) {
            seen.add(update.valueAsString());
          }
        }
        assertThat(seen)
            .as("values the watch delivered after the kill")
            .containsExactlyElementsOf(written);
      }
    }
  }

  @Test
  void aHeldLockStaysHeldWhenTheLeaderIsKilledJustBeforeARenewal() throws Exception {
    EtcdCluster cluster = ETCD.cluster();
    EtcdMember leader = cluster.leader();
    String lockKey = "leaderkill/lock";
    Duration ttl = Duration.ofSeconds(5);
    ScheduledExecutorService killer = Executors.newSingleThreadScheduledExecutor();
    try (Store store = EtcdV2Store.open(endpointsStartingWith(cluster, leader), CONFIG);
        Store rival = EtcdV2Store.open(ETCD.endpoints(), CONFIG)) {
      Locker locker = store.newLock(lockKey, LockOptions.builder().ttl(ttl).build());
      Lease lease = locker.lock();
      Instant lockedAt = Instant.now();

      // Renewals run every TTL/3. Kill the leader 300 ms before one is due: the renewal is then
      // sent while the followers still forward to the dead leader (they hold such requests for
      // 7 s), the hardest moment of the cycle, which a holder must survive like any other.
      List<Instant> renewals = new ArrayList<>();
      await("two renewals of the lock logged by the members")
          .atMost(Duration.ofSeconds(15))
          .pollInterval(Duration.ofMillis(20))
          .until(
              () -> {
                renewals.clear();
                renewals.addAll(renewalsSince(cluster, lockKey, lockedAt));
                return renewals.size() >= 2;
              });
      Duration period = Duration.between(renewals.get(0), renewals.get(1));
      Instant killAt = renewals.get(1).plus(period).minusMillis(300);
      long delay = Math.max(0, Duration.between(Instant.now(), killAt).toMillis());
      killer.schedule(leader::kill, delay, TimeUnit.MILLISECONDS).get(20, TimeUnit.SECONDS);
      Instant killedAt = Instant.now();

      // Two TTLs after the kill, the lease must still be held.
      String ended = null;
      try {
        lease.released().get(2 * ttl.toMillis(), TimeUnit.MILLISECONDS);
        ended =
            "released() completed "
                + Duration.between(killedAt, Instant.now()).toMillis()
                + " ms after the kill (renewal period "
                + period.toMillis()
                + " ms): "
                + why(locker);
      } catch (TimeoutException stillHeld) {
        // As it should be.
      }
      List<Instant> after = renewalsSince(cluster, lockKey, killedAt);
      figure(
          "lock renewals after the leader kill: %s ms after SIGKILL; lease %s",
          after.stream().map(i -> Duration.between(killedAt, i).toMillis()).toList(),
          ended == null ? "held" : "LOST");
      assertThat(ended).as("the lock across the leader change").isNull();
      assertThat(rival.newLock(lockKey, null).tryLock(Duration.ofMillis(500))).isEmpty();
      locker.unlock();
      assertThat(lease.released()).isDone();
    } finally {
      killer.shutdownNow();
    }
  }

  /**
   * When the members logged a write of the lock's side key after {@code since}, in order: after the
   * lock was taken, every write of it is a refresh (whose parameters travel in the body).
   */
  private static List<Instant> renewalsSince(EtcdCluster cluster, String lockKey, Instant since) {
    String path = "/v2/keys/" + lockKey + "___lock";
    return cluster.members().stream()
        .flatMap(m -> m.loggedRequests().stream())
        .filter(r -> r.is("PUT", path))
        .map(LoggedRequest::time)
        .filter(t -> t.isAfter(since))
        .sorted(Comparator.naturalOrder())
        .toList();
  }

  /** Why the lock was lost, as unlock() tells it. */
  private static String why(Locker locker) {
    try {
      locker.unlock();
      return "yet unlock() succeeded";
    } catch (LockNotHeldException e) {
      return e.getMessage();
    }
  }
}
