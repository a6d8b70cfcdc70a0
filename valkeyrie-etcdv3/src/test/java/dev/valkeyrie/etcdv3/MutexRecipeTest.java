package dev.valkeyrie.etcdv3;

import static dev.valkeyrie.etcdv3.LockTestSupport.delete;
import static dev.valkeyrie.etcdv3.LockTestSupport.etcdWatchers;
import static dev.valkeyrie.etcdv3.LockTestSupport.leaseId;
import static dev.valkeyrie.etcdv3.LockTestSupport.leaseOf;
import static dev.valkeyrie.etcdv3.LockTestSupport.leaseTtl;
import static dev.valkeyrie.etcdv3.LockTestSupport.lockKeys;
import static dev.valkeyrie.etcdv3.LockTestSupport.ownKey;
import static dev.valkeyrie.etcdv3.LockTestSupport.read;
import static dev.valkeyrie.etcdv3.LockTestSupport.revoke;
import static dev.valkeyrie.etcdv3.TestSupport.figure;
import static dev.valkeyrie.etcdv3.TestSupport.millisSince;
import static dev.valkeyrie.etcdv3.TestSupport.onThread;
import static dev.valkeyrie.etcdv3.TestSupport.threadsNamed;
import static dev.valkeyrie.etcdv3.TestSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.etcdv3.LockTestSupport.Opened;
import dev.valkeyrie.etcdv3.rpc.KVGrpc;
import dev.valkeyrie.etcdv3.rpc.PutRequest;
import dev.valkeyrie.etcdv3.rpc.TxnResponse;
import dev.valkeyrie.etcdv3.rpc.mvcc.KeyValue;
import dev.valkeyrie.store.InvalidValueException;
import dev.valkeyrie.store.Lease;
import dev.valkeyrie.store.LockNotHeldException;
import dev.valkeyrie.store.LockOptions;
import dev.valkeyrie.store.Locker;
import dev.valkeyrie.store.StoreClosedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * etcd's mutex recipe as this backend runs it, against one real etcd 3.4 member: the key layout
 * etcd's own clients use, the queue (FIFO by create revision, each waiter woken only by its
 * predecessor), fencing, withdrawing waiters, and the ways a holding ends.
 */
class MutexRecipeTest {
  @RegisterExtension static final EtcdClusterExtension ETCD = EtcdClusterExtension.members(1);

  private static final EtcdV3Config CONFIG =
      EtcdV3Config.builder().requestTimeout(Duration.ofSeconds(2)).build();
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final LockOptions SHORT = LockOptions.builder().ttl(Duration.ofSeconds(2)).build();

  private final List<Opened> opened = Collections.synchronizedList(new ArrayList<>());
  private String key;

  @BeforeEach
  void name(TestInfo test) {
    key = "mutex/" + test.getTestMethod().orElseThrow().getName() + "-" + System.nanoTime();
  }

  @AfterEach
  void closeStores() {
    List<Opened> all = new ArrayList<>(opened);
    Collections.reverse(all);
    all.forEach(Opened::close);
  }

  private Opened open() {
    Opened store = LockTestSupport.open(ETCD.endpoints(), CONFIG);
    opened.add(store);
    return store;
  }

  private void awaitQueueOf(Opened store, int keys) {
    await("lock keys under " + key + "___lock/")
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(20))
        .until(() -> lockKeys(store.store(), key).size() == keys);
  }

  // --- the key layout ---

  @Test
  void theHoldersKeyIsNamedByItsLeaseInLowercaseHex() throws InterruptedException {
    Opened a = open();

    Lease lease = a.store().newLock(key, null).lock();

    List<KeyValue> keys = lockKeys(a.store(), key);
    assertThat(keys).hasSize(1);
    assertThat(keys.get(0).getLease()).isEqualTo(leaseId(lease));
    assertThat(keys.get(0).getKey().toStringUtf8())
        .isEqualTo(key + "___lock/" + Long.toHexString(leaseId(lease)));
    lease.close();
  }

  @Test
  void theLockValueIsOnTheHoldersKey() throws InterruptedException {
    Opened a = open();

    Lease lease =
        a.store().newLock(key, LockOptions.builder().value(utf8("holder-a")).build()).lock();

    assertThat(lockKeys(a.store(), key).get(0).getValue().toStringUtf8()).isEqualTo("holder-a");
    lease.close();
  }

  @Test
  void theFencingTokenIsTheHoldersKeyCreateRevision() throws InterruptedException {
    Opened a = open();

    Lease lease = a.store().newLock(key, null).lock();

    assertThat(lease.fencingToken()).isEqualTo(lockKeys(a.store(), key).get(0).getCreateRevision());
    lease.close();
  }

  @Test
  void withDeleteOnUnlockTheValueUnderTheKeyIsOnTheHoldersLease() throws InterruptedException {
    Opened a = open();

    Lease lease =
        a.store()
            .newLock(key, LockOptions.builder().value(utf8("v")).deleteOnUnlock(true).build())
            .lock();

    assertThat(read(a.store(), Key.of(key).bytes()).getLease()).isEqualTo(leaseId(lease));
    lease.close();
  }

  @Test
  void withoutDeleteOnUnlockTheValueUnderTheKeyHasNoLease() throws InterruptedException {
    Opened a = open();

    Lease lease = a.store().newLock(key, LockOptions.builder().value(utf8("v")).build()).lock();

    assertThat(read(a.store(), Key.of(key).bytes()).getLease()).isZero();
    lease.close();
  }

  @Test
  void aValueTooLargeForTheLocksRequestsIsRefusedAtNewLock() {
    Opened a = open();
    LockOptions huge = LockOptions.builder().value(new byte[2 * 1024 * 1024]).build();

    assertThatThrownBy(() -> a.store().newLock(key, huge))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining("too large");
  }

  @Test
  void tryLockWithAZeroTimeoutStillAcquiresAFreeLock() throws InterruptedException {
    Opened a = open();

    Optional<Lease> lease = a.store().newLock(key, null).tryLock(Duration.ZERO);

    assertThat(lease).isPresent();
    lease.get().close();
  }

  // --- the queue ---

  @Test
  void waitersAcquireInTheOrderTheirKeysWereCreated() throws Exception {
    Opened holding = open();
    Lease held = holding.store().newLock(key, null).lock();
    List<String> order = Collections.synchronizedList(new ArrayList<>());
    List<CompletableFuture<Long>> waiters = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Locker locker = open().store().newLock(key, null);
      String name = "w" + i;
      waiters.add(
          onThread(
              name,
              () -> {
                try (Lease lease = locker.lock()) {
                  order.add(name);
                  return lease.fencingToken();
                }
              }));
      awaitQueueOf(holding, i + 2);
    }

    held.close();

    List<Long> tokens = new ArrayList<>();
    for (CompletableFuture<Long> waiter : waiters) {
      tokens.add(waiter.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    }
    assertThat(order).containsExactly("w0", "w1", "w2", "w3");
    assertThat(tokens).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void eachReleaseWakesOnlyTheWaiterBehindIt() throws Exception {
    Opened holding = open();
    Opened waiting = open();
    String endpoint = ETCD.cluster().member(0).clientEndpoint();
    Lease held = holding.store().newLock(key, null).lock();
    await().atMost(WAIT).until(() -> holding.locks().watches().watching() == 1);
    long before = etcdWatchers(endpoint);
    int count = 4;
    List<CompletableFuture<Long>> waiters = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Locker locker = waiting.store().newLock(key, null);
      waiters.add(
          onThread(
              "w" + i,
              () -> {
                try (Lease lease = locker.lock()) {
                  return lease.fencingToken();
                }
              }));
    }
    awaitQueueOf(holding, count + 1);
    await().atMost(WAIT).until(() -> waiting.locks().watches().watching() == count);
    await("etcd's watchers: one per waiter")
        .atMost(WAIT)
        .ignoreExceptions()
        .until(() -> etcdWatchers(endpoint) == before + count);

    held.close();

    for (CompletableFuture<Long> waiter : waiters) {
      waiter.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
    assertThat(waiting.locks().watches().endsSeen())
        .as("waits ended by a deletion: one per waiter, none for a key further ahead")
        .isEqualTo(count);
  }

  // --- waiters that give up ---

  @Test
  void aTryLockThatTimesOutLeavesNoKeyAndNoLeaseBehind() throws Exception {
    Opened holding = open();
    Opened trying = open();
    Lease held = holding.store().newLock(key, SHORT).lock();
    CompletableFuture<Optional<Lease>> attempt =
        onThread("trying", () -> trying.store().newLock(key, SHORT).tryLock(Duration.ofSeconds(3)));
    awaitQueueOf(holding, 2);
    long waiterLease = leaseOf(lockKeys(holding.store(), key).get(1));

    Optional<Lease> result = attempt.get(WAIT.toSeconds(), TimeUnit.SECONDS);

    assertThat(result).isEmpty();
    assertThat(lockKeys(holding.store(), key))
        .extracting(KeyValue::getKey)
        .containsExactly(ownKey(held));
    assertThat(leaseTtl(holding.store(), waiterLease)).isEqualTo(-1);
    held.close();
  }

  @Test
  void anInterruptedLockLeavesNoKeyAndNoLeaseBehind() throws Exception {
    Opened holding = open();
    Opened trying = open();
    Lease held = holding.store().newLock(key, SHORT).lock();
    Locker locker = trying.store().newLock(key, SHORT);
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                locker.lock();
                outcome.complete(null);
              } catch (Throwable e) {
                outcome.complete(e);
              }
            },
            "test-interrupted");
    thread.setDaemon(true);
    thread.start();
    awaitQueueOf(holding, 2);
    long waiterLease = leaseOf(lockKeys(holding.store(), key).get(1));

    thread.interrupt();

    assertThat(outcome.get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .isInstanceOf(InterruptedException.class);
    assertThat(lockKeys(holding.store(), key))
        .extracting(KeyValue::getKey)
        .containsExactly(ownKey(held));
    assertThat(leaseTtl(holding.store(), waiterLease)).isEqualTo(-1);
    held.close();
  }

  @Test
  void aWaiterThatTimedOutNeverHoldsTheLockOnceTheHolderLeaves() throws Exception {
    Opened holding = open();
    Opened trying = open();
    Lease held = holding.store().newLock(key, null).lock();
    assertThat(trying.store().newLock(key, null).tryLock(Duration.ofMillis(500))).isEmpty();

    held.close();

    // jetcd's ghost: the abandoned waiter's key would now be the oldest, and hold the lock.
    assertThat(lockKeys(holding.store(), key)).isEmpty();
    Optional<Lease> newcomer = open().store().newLock(key, null).tryLock(Duration.ofSeconds(5));
    assertThat(newcomer).isPresent();
    newcomer.get().close();
  }

  @Test
  void aWaiterWhoseLeaseEndedWhileWaitingStartsOverAndHoldsOnALiveKey() throws Exception {
    Opened holding = open();
    Opened waiting = open();
    Lease held = holding.store().newLock(key, SHORT).lock();
    Locker locker = waiting.store().newLock(key, SHORT);
    CompletableFuture<Lease> waiter = onThread("waiter", locker::lock);
    awaitQueueOf(holding, 2);
    KeyValue firstKey = lockKeys(holding.store(), key).get(1);

    // Pitfall 28: the waiter's key dies while it waits; the 3.4 recipe would then "hold" the
    // lock on a key that no longer exists when its predecessor goes.
    revoke(holding.store(), leaseOf(firstKey));
    held.close();

    Lease lease = waiter.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(lease.fencingToken()).isGreaterThan(firstKey.getCreateRevision());
    KeyValue mine = read(waiting.store(), ownKey(lease));
    assertThat(mine).isNotNull();
    assertThat(mine.getCreateRevision()).isEqualTo(lease.fencingToken());
    assertThat(leaseTtl(waiting.store(), leaseId(lease))).isPositive();
    lease.close();
  }

  // --- how a holding ends ---

  @Test
  void aLeaseRevokedBehindTheHoldersBackCompletesReleased() throws InterruptedException {
    Opened a = open();
    Lease lease = a.store().newLock(key, SHORT).lock();

    revoke(open().store(), leaseId(lease));

    assertThat(lease.released()).succeedsWithin(WAIT);
  }

  @Test
  void theOwnKeyDeletedBehindTheHoldersBackCompletesReleased() throws InterruptedException {
    Opened a = open();
    Lease lease = a.store().newLock(key, null).lock();

    delete(open().store(), ownKey(lease));

    assertThat(lease.released()).succeedsWithin(WAIT);
  }

  @Test
  void theOwnKeyOverwrittenOffItsLeaseCompletesReleased() throws InterruptedException {
    Opened a = open();
    Lease lease = a.store().newLock(key, null).lock();
    Opened other = open();

    other
        .store()
        .context()
        .calls()
        .call(
            KVGrpc.getPutMethod(),
            PutRequest.newBuilder()
                .setKey(ownKey(lease))
                .setValue(ByteString.copyFromUtf8("vandal"))
                .build(),
            Op.write("test", key));

    assertThat(lease.released()).succeedsWithin(WAIT);
    delete(other.store(), ownKey(lease));
  }

  @Test
  void unlockAfterTheLeaseWasLostThrowsLockNotHeld() throws InterruptedException {
    Opened a = open();
    Locker locker = a.store().newLock(key, SHORT);
    Lease lease = locker.lock();
    revoke(open().store(), leaseId(lease));
    assertThat(lease.released()).succeedsWithin(WAIT);

    assertThatThrownBy(locker::unlock)
        .isInstanceOf(LockNotHeldException.class)
        .hasMessageContaining("lost");
  }

  @Test
  void unlockAfterLossLeavesTheNextHoldersKeyAndValueAlone() throws InterruptedException {
    Opened a = open();
    Opened b = open();
    LockOptions mine = LockOptions.builder().value(utf8("a")).deleteOnUnlock(true).build();
    Locker first = a.store().newLock(key, mine);
    Lease lost = first.lock();
    revoke(b.store(), leaseId(lost));
    Lease next =
        b.store()
            .newLock(key, LockOptions.builder().value(utf8("b")).deleteOnUnlock(true).build())
            .lock();

    assertThatThrownBy(first::unlock).isInstanceOf(LockNotHeldException.class);

    assertThat(lockKeys(b.store(), key)).extracting(KeyValue::getKey).containsExactly(ownKey(next));
    assertThat(b.store().get(key).valueAsString()).isEqualTo("b");
    assertThat(next.released()).isNotDone();
    next.close();
  }

  @Test
  void theReleaseTxnLeavesANewerKeyOfTheSameNameAlone() {
    // etcd-io/etcd#22082: an unfenced, retried unlock deletes a newer acquisition by name.
    Opened a = open();
    ByteString own = Locks.ownKey(Locks.prefix(Key.of(key)), 0x5eedL);
    CallLayer calls = a.store().context().calls();
    calls.call(
        KVGrpc.getPutMethod(), PutRequest.newBuilder().setKey(own).build(), Op.write("test", key));
    long stale = read(a.store(), own).getCreateRevision();
    delete(a.store(), own);
    calls.call(
        KVGrpc.getPutMethod(), PutRequest.newBuilder().setKey(own).build(), Op.write("test", key));

    TxnResponse release =
        calls.call(
            KVGrpc.getTxnMethod(),
            Locks.release(Key.of(key), own, stale, 0),
            Op.write("test", key));

    assertThat(release.getSucceeded()).isFalse();
    assertThat(read(a.store(), own).getCreateRevision()).isGreaterThan(stale);
    delete(a.store(), own);
  }

  @Test
  void aMemberPausedPastTheTtlCompletesReleased() throws InterruptedException {
    Opened a = open();
    Lease lease = a.store().newLock(key, SHORT).lock();
    long pausedAt = System.nanoTime();

    ETCD.cluster().member(0).pause();
    try {
      assertThat(lease.released()).succeedsWithin(WAIT);
      figure(
          "lease lost: released() completed %d ms after the only member was paused (TTL 2 s)",
          millisSince(pausedAt));
    } finally {
      ETCD.cluster().member(0).resume();
    }
  }

  // --- close ---

  @Test
  void closingTheStoreReleasesItsHeldLockAtOnce() throws InterruptedException {
    Opened a = open();
    Opened other = open();
    Lease lease =
        a.store().newLock(key, LockOptions.builder().ttl(Duration.ofSeconds(30)).build()).lock();

    a.close();

    assertThat(lease.released()).isDone();
    assertThat(lockKeys(other.store(), key)).isEmpty();
  }

  @Test
  void closingTheStoreWakesItsWaiterWithStoreClosedAndWithdrawsItsKey() throws Exception {
    Opened holding = open();
    Opened waiting = open();
    Lease held = holding.store().newLock(key, null).lock();
    CompletableFuture<Lease> waiter =
        onThread("waiter", () -> waiting.store().newLock(key, null).lock());
    awaitQueueOf(holding, 2);

    waiting.close();

    assertThat(waiter)
        .failsWithin(WAIT)
        .withThrowableThat()
        .havingRootCause()
        .isInstanceOf(StoreClosedException.class);
    assertThat(lockKeys(holding.store(), key))
        .extracting(KeyValue::getKey)
        .containsExactly(ownKey(held));
    held.close();
  }

  @Test
  void closingAStoreWithHeldAndWaitingLocksLeavesNoThreadOfIt() throws Exception {
    Opened a = open();
    String threads = a.store().threadPrefix();
    a.store().newLock(key, null).lock();
    Locker second = a.store().newLock(key, null);
    CompletableFuture<Lease> waiter = onThread("waiter", second::lock);
    awaitQueueOf(a, 2);

    a.close();

    assertThat(waiter).failsWithin(WAIT);
    assertThat(threadsNamed(threads + "-")).isEmpty();
  }
}
