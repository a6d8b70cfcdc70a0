package dev.valkeyrie.etcdv2;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.store.Lease;
import dev.valkeyrie.store.LockNotHeldException;
import dev.valkeyrie.store.LockOptions;
import dev.valkeyrie.store.Locker;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.store.WriteOptions;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The etcd v2 lock recipe under the failures the conformance suite cannot stage: a holder that
 * crashed (its side key is never renewed), a side key removed behind the holder's back, and an etcd
 * that stops answering for longer than the TTL.
 */
class LockRecipeTest {
  @RegisterExtension static final EtcdClusterExtension ETCD = EtcdClusterExtension.members(1);

  private static final LockOptions SHORT = LockOptions.builder().ttl(Duration.ofSeconds(2)).build();

  private Store store;
  private String key;

  @BeforeEach
  void open(TestInfo test) {
    store =
        EtcdV2Store.open(
            ETCD.endpoints(), EtcdV2Config.builder().requestTimeout(Duration.ofSeconds(1)).build());
    key = "locks/" + test.getTestMethod().orElseThrow().getName();
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void waiterAcquiresOnceACrashedHoldersSideKeyExpires() throws InterruptedException {
    // What a crashed holder leaves behind: a side key with a TTL that nobody renews.
    store.put(
        key + "___lock",
        "crashed-holder".getBytes(UTF_8),
        WriteOptions.builder().ttl(Duration.ofSeconds(2)).build());
    long start = System.nanoTime();

    Optional<Lease> lease = store.newLock(key, SHORT).tryLock(Duration.ofSeconds(15));

    assertThat(lease).isPresent();
    Duration waited = Duration.ofNanos(System.nanoTime() - start);
    System.out.printf(
        "waiter acquired %d ms after the crashed holder's last renewal%n", waited.toMillis());
    lease.get().close();
  }

  @Test
  void sideKeyRemovedBehindTheHoldersBackEndsTheLease() throws InterruptedException {
    Locker locker = store.newLock(key, SHORT);
    Lease lease = locker.lock();

    store.delete(key + "___lock");

    await().atMost(Duration.ofSeconds(15)).until(() -> lease.released().isDone());
    assertThatThrownBy(locker::unlock)
        .isInstanceOf(LockNotHeldException.class)
        .hasMessageContaining("lost");
  }

  @Test
  void sideKeyTakenOverByAnotherOwnerEndsTheLeaseAndIsLeftAlone() throws InterruptedException {
    Locker locker = store.newLock(key, SHORT);
    Lease lease = locker.lock();

    store.put(key + "___lock", "someone-else".getBytes(UTF_8));

    await().atMost(Duration.ofSeconds(15)).until(() -> lease.released().isDone());
    assertThatThrownBy(locker::unlock).isInstanceOf(LockNotHeldException.class);
    assertThat(store.get(key + "___lock").valueAsString()).isEqualTo("someone-else");
  }

  @Test
  void unreachableStorePastTheTtlEndsTheLeaseAndAWaiterAcquiresAfterwards()
      throws InterruptedException {
    Lease lease = store.newLock(key, SHORT).lock();

    ETCD.cluster().member(0).pause();
    try {
      await().atMost(Duration.ofSeconds(15)).until(() -> lease.released().isDone());
    } finally {
      ETCD.cluster().member(0).resume();
    }

    try (Store other = EtcdV2Store.open(ETCD.endpoints(), null)) {
      assertThat(other.newLock(key, SHORT).tryLock(Duration.ofSeconds(15))).isPresent();
    }
  }

  @Test
  void unlockWritesNothingWhenTheLockWasLost() throws InterruptedException {
    Locker locker =
        store.newLock(
            key,
            LockOptions.builder()
                .ttl(Duration.ofSeconds(2))
                .deleteOnUnlock(true)
                .value("mine".getBytes(UTF_8))
                .build());
    Lease lease = locker.lock();
    store.delete(key + "___lock");
    await().atMost(Duration.ofSeconds(15)).until(() -> lease.released().isDone());

    try (Store other = EtcdV2Store.open(ETCD.endpoints(), null)) {
      Lease next =
          other.newLock(key, LockOptions.builder().value("theirs".getBytes(UTF_8)).build()).lock();
      assertThatThrownBy(locker::unlock).isInstanceOf(LockNotHeldException.class);
      assertThat(store.get(key).valueAsString()).isEqualTo("theirs");
      assertThat(next.released()).isNotDone();
      next.close();
    }
  }

  @Test
  void tryLockTimeoutDoesNotDisturbAHeldLock() throws InterruptedException {
    Lease held = store.newLock(key, SHORT).lock();

    try (Store other = EtcdV2Store.open(ETCD.endpoints(), null)) {
      for (int i = 0; i < 3; i++) {
        assertThat(other.newLock(key, SHORT).tryLock(Duration.ofMillis(700))).isEmpty();
      }
    }

    assertThat(held.released()).isNotDone();
    held.close();
    assertThat(held.released()).isDone();
  }
}
