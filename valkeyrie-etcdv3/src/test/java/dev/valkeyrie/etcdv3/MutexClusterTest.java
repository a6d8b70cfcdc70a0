package dev.valkeyrie.etcdv3;

import static dev.valkeyrie.etcdv3.LockTestSupport.lockKeys;
import static dev.valkeyrie.etcdv3.TestSupport.figure;
import static dev.valkeyrie.etcdv3.TestSupport.millisSince;
import static dev.valkeyrie.etcdv3.TestSupport.onThread;
import static dev.valkeyrie.etcdv3.TestSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.etcd.launcher.EtcdCluster;
import dev.valkeyrie.etcd.launcher.EtcdMember;
import dev.valkeyrie.etcdv3.LockTestSupport.Opened;
import dev.valkeyrie.store.Lease;
import dev.valkeyrie.store.LockOptions;
import dev.valkeyrie.store.WriteOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A held lock and a waiting one on a 3-member cluster while members fail: the lock survives what
 * the cluster survives (a frozen member, the leader's death), because the keep-alive and the lock's
 * watch move to another member.
 */
class MutexClusterTest {
  @RegisterExtension
  static final EtcdClusterExtension ETCD =
      EtcdClusterExtension.of(EtcdCluster.builder().members(3).name("v3-lock-cluster"));

  private static final Duration TTL = Duration.ofSeconds(5);
  private static final LockOptions OPTIONS = LockOptions.builder().ttl(TTL).build();
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final EtcdV3Config CONFIG =
      EtcdV3Config.builder().requestTimeout(Duration.ofSeconds(3)).build();

  private final List<Opened> opened = Collections.synchronizedList(new ArrayList<>());
  private String key;

  @BeforeEach
  void name(TestInfo test) {
    key = "cluster/" + test.getTestMethod().orElseThrow().getName() + "-" + System.nanoTime();
  }

  @AfterEach
  void restore() {
    List<Opened> all = new ArrayList<>(opened);
    Collections.reverse(all);
    all.forEach(Opened::close);
    for (EtcdMember member : ETCD.cluster().members()) {
      if (!member.isRunning()) {
        member.start();
      }
    }
  }

  /** A store whose preferred member is {@code first}, then the others. */
  private Opened openOn(EtcdMember first) {
    List<String> endpoints = new ArrayList<>();
    endpoints.add(first.clientEndpoint());
    for (EtcdMember member : ETCD.cluster().members()) {
      if (member != first) {
        endpoints.add(member.clientEndpoint());
      }
    }
    Opened store = LockTestSupport.open(endpoints, CONFIG);
    opened.add(store);
    return store;
  }

  private List<EtcdMember> followers() {
    EtcdMember leader = ETCD.cluster().leader();
    return ETCD.cluster().members().stream().filter(m -> m != leader).toList();
  }

  /** Waits until a key written now with the lock's TTL has expired: a whole TTL has passed. */
  private static void awaitATtl(Opened via, String marker) {
    via.store().put(marker, utf8("expires with one TTL"), WriteOptions.builder().ttl(TTL).build());
    await("a key with the lock's TTL expires")
        .atMost(WAIT)
        .ignoreExceptions()
        .until(() -> !via.store().exists(marker));
  }

  @Test
  void aHeldLockSurvivesAPauseOfTheMemberItsStoreUses() throws InterruptedException {
    List<EtcdMember> followers = followers();
    EtcdMember paused = followers.get(0);
    Opened holding = openOn(paused);
    Opened other = openOn(followers.get(1));
    Lease lease = holding.store().newLock(key, OPTIONS).lock();

    paused.pause();
    try {
      awaitATtl(other, key + "-marker");

      assertThat(lease.released()).as("released() a TTL after the pause").isNotDone();
      assertThat(other.store().newLock(key, OPTIONS).tryLock(Duration.ofMillis(500))).isEmpty();
    } finally {
      paused.resume();
    }
    lease.close();
    assertThat(lockKeys(other.store(), key)).isEmpty();
  }

  @Test
  void aHeldLockSurvivesTheLeadersDeath() throws InterruptedException {
    EtcdMember leader = ETCD.cluster().leader();
    Opened holding = openOn(leader);
    Opened other = openOn(followers().get(0));
    Lease lease = holding.store().newLock(key, OPTIONS).lock();
    other
        .store()
        .put(
            key + "-marker", utf8("expires with one TTL"), WriteOptions.builder().ttl(TTL).build());

    leader.kill();

    await("a key with the lock's TTL expires")
        .atMost(WAIT)
        .ignoreExceptions()
        .until(() -> !other.store().exists(key + "-marker"));
    assertThat(lease.released()).as("released() a TTL after the leader died").isNotDone();
    assertThat(other.store().newLock(key, OPTIONS).tryLock(Duration.ofMillis(500))).isEmpty();
    lease.close();
    assertThat(lockKeys(other.store(), key)).isEmpty();
  }

  @Test
  void aWaiterWhoseWatchIsOnAFrozenMemberAcquiresWhenTheHolderUnlocks() throws Exception {
    List<EtcdMember> followers = followers();
    EtcdMember frozen = followers.get(0);
    Opened holding = openOn(followers.get(1));
    Opened waiting = openOn(frozen);
    Lease held = holding.store().newLock(key, OPTIONS).lock();
    CompletableFuture<Lease> waiter =
        onThread("waiter", () -> waiting.store().newLock(key, OPTIONS).lock());
    await()
        .atMost(WAIT)
        .until(
            () ->
                lockKeys(holding.store(), key).size() == 2
                    && waiting.locks().watches().watching() == 1);

    frozen.pause();
    try {
      long unlockedAt = System.nanoTime();
      held.close();

      Lease lease = waiter.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      figure(
          "frozen member: waiter acquired %d ms after the holder unlocked, its lock watch"
              + " having been on the frozen member (silence limit %d s)",
          millisSince(unlockedAt), TimeUnit.NANOSECONDS.toSeconds(LockWatches.SILENCE_NANOS));
      assertThat(lease.fencingToken()).isGreaterThan(held.fencingToken());
      lease.close();
    } finally {
      frozen.resume();
    }
  }
}
