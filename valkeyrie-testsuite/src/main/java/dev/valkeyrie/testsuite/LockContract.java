package dev.valkeyrie.testsuite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.valkeyrie.store.Lease;
import dev.valkeyrie.store.LockNotHeldException;
import dev.valkeyrie.store.LockOptions;
import dev.valkeyrie.store.Locker;
import dev.valkeyrie.store.Store;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The lock contract: {@code newLock} writes nothing until {@code lock()}; a held lock excludes
 * every other locker (other stores, other threads); {@code unlock()} and {@link Lease#close()}
 * release it; {@link Lease#released()} and {@link Lease#fencingToken()}; the lock's value under its
 * key; {@link LockOptions#deleteOnUnlock()}; and mutual exclusion under contention. Lock TTLs are
 * in {@link TtlContract}.
 *
 * <p>Run it from a backend module by subclassing it in {@code src/test} and implementing {@link
 * #newStore()} (see {@link StoreContract}):
 *
 * <pre>{@code
 * class EtcdV2LockTest extends LockContract {
 *   @RegisterExtension static final EtcdClusterExtension ETCD = ...;
 *   @Override protected Store newStore() { return EtcdV2Store.open(ETCD.endpoints(), config); }
 * }
 * }</pre>
 */
public abstract class LockContract extends StoreContract {

  /** How long a locker tries for a lock that is held elsewhere (it must not get it). */
  private static final Duration SHORT_TRY = Duration.ofMillis(500);

  private static final int MUTEX_THREADS = 4;
  private static final int MUTEX_ITERATIONS = 10;

  @Test
  public void newLockWritesNothingUntilLock() {
    String dir = key("locks");

    Locker locker =
        store().newLock(dir + "/lk", LockOptions.builder().value(utf8("holder")).build());

    assertThat(locker).isNotNull();
    assertThat(store().exists(dir)).isFalse();
    assertThat(store().exists(prefix())).isFalse();
  }

  @Test
  public void newLockAcceptsNullOptions() throws InterruptedException {
    Locker locker = store().newLock(key("lk"), null);

    Lease lease = locker.lock();

    assertThat(lease.released()).isNotDone();
    locker.unlock();
    assertThat(lease.released()).succeedsWithin(AWAIT);
  }

  @Test
  public void aHeldLockExcludesALockerOfAnotherStore() throws InterruptedException {
    String k = key("lk");
    Locker holder = store().newLock(k, null);
    Locker other = openStore().newLock(k, null);
    holder.lock();

    Optional<Lease> attempt = other.tryLock(SHORT_TRY);

    assertThat(attempt).isEmpty();
    holder.unlock();
  }

  @Test
  public void aHeldLockExcludesAnotherLockerOfTheSameStore() throws InterruptedException {
    String k = key("lk");
    Locker holder = store().newLock(k, null);
    Locker other = store().newLock(k, null);
    holder.lock();

    assertThat(other.tryLock(SHORT_TRY)).isEmpty();
    holder.unlock();
  }

  @Test
  public void tryLockOfAFreeLockAcquiresIt() throws InterruptedException {
    Locker locker = store().newLock(key("lk"), null);

    Optional<Lease> lease = locker.tryLock(AWAIT);

    assertThat(lease).isPresent();
    assertThat(lease.get().released()).isNotDone();
    locker.unlock();
  }

  @Test
  public void afterUnlockAnotherStoreAcquiresTheLock() throws InterruptedException {
    String k = key("lk");
    Locker first = store().newLock(k, null);
    Locker second = openStore().newLock(k, null);
    first.lock();

    first.unlock();

    assertThat(second.tryLock(AWAIT)).isPresent();
    second.unlock();
  }

  @Test
  public void aWaitingLockerAcquiresOnceTheHolderUnlocks() throws Exception {
    String k = key("lk");
    Locker holder = store().newLock(k, null);
    Locker waiter = openStore().newLock(k, null);
    holder.lock();
    Future<Lease> waiting = inBackground(waiter::lock);

    holder.unlock();

    assertThat(waiting).succeedsWithin(AWAIT);
    waiter.unlock();
  }

  @Test
  public void unlockOfALockerThatNeverLockedThrowsLockNotHeld() {
    Locker locker = store().newLock(key("lk"), null);

    assertThatThrownBy(locker::unlock).isInstanceOf(LockNotHeldException.class);
  }

  @Test
  public void unlockOfALockerThatDoesNotHoldTheLockThrowsAndLeavesTheHolderHoldingIt()
      throws InterruptedException {
    String k = key("lk");
    Locker holder = store().newLock(k, null);
    Locker other = openStore().newLock(k, null);
    Lease lease = holder.lock();

    assertThatThrownBy(other::unlock).isInstanceOf(LockNotHeldException.class);
    assertThat(openStore().newLock(k, null).tryLock(SHORT_TRY)).isEmpty();
    assertThat(lease.released()).isNotDone();
    holder.unlock();
  }

  @Test
  public void aSecondUnlockThrowsLockNotHeld() throws InterruptedException {
    Locker locker = store().newLock(key("lk"), null);
    locker.lock();
    locker.unlock();

    assertThatThrownBy(locker::unlock).isInstanceOf(LockNotHeldException.class);
  }

  @Test
  public void lockingALockerThatHoldsTheLockThrowsIllegalState() throws InterruptedException {
    Locker locker = store().newLock(key("lk"), null);
    locker.lock();

    assertThatThrownBy(locker::lock).isInstanceOf(IllegalStateException.class);
    locker.unlock();
  }

  @Test
  public void releasedCompletesAfterUnlockAndNotBefore() throws InterruptedException {
    Locker locker = store().newLock(key("lk"), null);
    Lease lease = locker.lock();

    assertThat(lease.released()).isNotDone();
    locker.unlock();

    assertThat(lease.released()).succeedsWithin(AWAIT);
  }

  @Test
  public void closingTheLeaseReleasesTheLockLikeUnlock() throws InterruptedException {
    String k = key("lk");
    Lease lease = store().newLock(k, null).lock();

    lease.close();

    assertThat(lease.released()).succeedsWithin(AWAIT);
    assertThat(openStore().newLock(k, null).tryLock(AWAIT)).isPresent();
  }

  @Test
  public void aLockerCanLockAgainAfterUnlock() throws InterruptedException {
    Locker locker = store().newLock(key("lk"), null);
    Lease first = locker.lock();
    locker.unlock();

    Lease second = locker.lock();

    assertThat(second.released()).isNotDone();
    assertThat(first.released()).succeedsWithin(AWAIT);
    locker.unlock();
  }

  @Test
  public void fencingTokensIncreaseWithEachAcquisition() throws InterruptedException {
    String k = key("lk");
    Locker a = store().newLock(k, null);
    Locker b = openStore().newLock(k, null);

    long first = a.lock().fencingToken();
    a.unlock();
    long second = b.lock().fencingToken();
    b.unlock();
    long third = a.lock().fencingToken();
    a.unlock();

    assertThat(second).isGreaterThan(first);
    assertThat(third).isGreaterThan(second);
  }

  @Test
  public void theLockValueIsReadableUnderTheKeyWhileHeld() throws InterruptedException {
    String k = key("lk");
    Locker locker =
        store().newLock(k, LockOptions.builder().value(utf8("holder-1 at 10.0.0.1")).build());
    locker.lock();

    assertThat(openStore().get(k).valueAsString()).isEqualTo("holder-1 at 10.0.0.1");
    locker.unlock();
  }

  @Test
  public void deleteOnUnlockRemovesTheKeyAtUnlock() throws InterruptedException {
    String k = key("lk");
    Locker locker =
        store()
            .newLock(k, LockOptions.builder().value(utf8("holder")).deleteOnUnlock(true).build());
    locker.lock();
    assertThat(store().exists(k)).isTrue();

    locker.unlock();

    assertThat(store().exists(k)).isFalse();
  }

  @Test
  public void withoutDeleteOnUnlockTheKeyStaysAfterUnlock() throws InterruptedException {
    String k = key("lk");
    Locker locker =
        store()
            .newLock(k, LockOptions.builder().value(utf8("holder")).deleteOnUnlock(false).build());
    locker.lock();

    locker.unlock();

    assertThat(store().exists(k)).isTrue();
  }

  @Test
  public void theLockExcludesEveryOtherHolderUnderContention() throws InterruptedException {
    String lockKey = key("mutex");
    String counter = key("counter");
    store().put(counter, utf8("0"));
    List<Store> stores = List.of(store(), openStore());
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger mostInside = new AtomicInteger();

    ConcurrentRunner.run(
        MUTEX_THREADS,
        CONCURRENT_AWAIT,
        thread -> {
          Store store = stores.get(thread % stores.size());
          Locker locker = store.newLock(lockKey, null);
          for (int i = 0; i < MUTEX_ITERATIONS; i++) {
            locker.lock();
            try {
              mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
              int current = Integer.parseInt(store.get(counter).valueAsString());
              store.put(counter, utf8(Integer.toString(current + 1)));
            } finally {
              inside.decrementAndGet();
              locker.unlock();
            }
          }
        });

    assertThat(mostInside.get())
        .as("most holders inside the critical section at once")
        .isEqualTo(1);
    assertThat(store().get(counter).valueAsString())
        .isEqualTo(Integer.toString(MUTEX_THREADS * MUTEX_ITERATIONS));
  }
}
