package dev.valkeyrie.store;

import java.time.Duration;
import java.util.Optional;

/**
 * A distributed lock, created by {@link Store#newLock}. Nothing is written until {@link #lock()}.
 *
 * <p>While held, the lock is renewed in the background; if renewal becomes impossible (the store is
 * unreachable for longer than the TTL, or another party removed the lock) the lease's {@link
 * Lease#released()} completes and the lock must be treated as lost. A locker can be locked again
 * after it was released.
 */
public interface Locker {

  /**
   * Blocks until the lock is held.
   *
   * @throws CannotLockException if the store refuses the lock for a reason waiting cannot fix
   * @throws IllegalStateException if this locker already holds the lock
   */
  Lease lock() throws InterruptedException;

  /**
   * Waits at most {@code timeout} for the lock.
   *
   * @return the lease, or empty if the lock was not acquired in time
   */
  Optional<Lease> tryLock(Duration timeout) throws InterruptedException;

  /**
   * Releases the lock.
   *
   * @throws LockNotHeldException if this locker does not hold the lock, including when it held it
   *     but lost it (expiry, failed renewal)
   */
  void unlock();
}
