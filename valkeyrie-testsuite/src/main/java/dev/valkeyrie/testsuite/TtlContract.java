package dev.valkeyrie.testsuite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.valkeyrie.store.KeyNotFoundException;
import dev.valkeyrie.store.Lease;
import dev.valkeyrie.store.LockOptions;
import dev.valkeyrie.store.Locker;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.store.WriteOptions;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The time-to-live contract: keys written with a TTL expire, a later write without TTL makes them
 * permanent, {@link WriteOptions#keepAlive()} keeps a key alive while its store is open, a held
 * lock is renewed past its TTL, and a lock whose holder's store closes is released (at the latest
 * when its TTL runs out).
 *
 * <p>These tests take a few seconds each: they wait for short TTLs (1 to 3 s) to run out, bounded
 * by the TTL plus {@link #EXPIRY_MARGIN}. "Still there after the TTL" is checked after waiting
 * until a marker key written with the same TTL has expired, never with a sleep.
 *
 * <p>Run it from a backend module by subclassing it in {@code src/test} and implementing {@link
 * #newStore()} (see {@link StoreContract}):
 *
 * <pre>{@code
 * class EtcdV2TtlTest extends TtlContract {
 *   @RegisterExtension static final EtcdClusterExtension ETCD = ...;
 *   @Override protected Store newStore() { return EtcdV2Store.open(ETCD.endpoints(), config); }
 * }
 * }</pre>
 */
public abstract class TtlContract extends StoreContract {

  /** How long after its TTL an expiring key or lock may still be seen. */
  public static final Duration EXPIRY_MARGIN = Duration.ofSeconds(15);

  private static final Duration SHORT_TTL = Duration.ofSeconds(1);
  /** For keep-alive and renewal: long enough that renewal on a loaded machine keeps up. */
  private static final Duration RENEWED_TTL = Duration.ofSeconds(3);
  private static final Duration LOCK_TTL = Duration.ofSeconds(2);
  private static final Duration LONG_TTL = Duration.ofMinutes(5);
  private static final Duration SHORT_TRY = Duration.ofMillis(500);

  // --- put with a TTL ---

  @Test
  public void aKeyWithATtlIsReadableBeforeItExpires() {
    String k = key("k");

    store().put(k, utf8("v"), ttl(LONG_TTL));

    assertThat(store().exists(k)).isTrue();
    assertThat(store().get(k).valueAsString()).isEqualTo("v");
  }

  @Test
  public void aKeyWithATtlDisappearsAfterTheTtl() {
    String k = key("k");

    store().put(k, utf8("v"), ttl(SHORT_TTL));

    awaitGone(k, SHORT_TTL);
    assertThatThrownBy(() -> store().get(k)).isInstanceOf(KeyNotFoundException.class);
  }

  @Test
  public void putWithoutTtlOverAKeyWithATtlRemovesTheTtl() {
    String k = key("k");
    String marker = key("marker");
    store().put(k, utf8("v1"), ttl(SHORT_TTL));
    store().put(marker, utf8("expires like k would"), ttl(SHORT_TTL));

    store().put(k, utf8("v2"));

    awaitGone(marker, SHORT_TTL);
    assertThat(store().get(k).valueAsString()).isEqualTo("v2");
  }

  @Test
  public void putWithTtlOverAKeyWithoutTtlAddsTheTtl() {
    String k = key("k");
    store().put(k, utf8("v1"));

    store().put(k, utf8("v2"), ttl(SHORT_TTL));

    awaitGone(k, SHORT_TTL);
    assertThat(store().exists(k)).isFalse();
  }

  // --- keep-alive ---

  @Test
  public void keepAliveKeepsTheKeyPastItsTtlWhileTheStoreIsOpen() {
    String k = key("k");
    String marker = key("marker");
    Store writer = openStore();

    writer.put(k, utf8("registered"), keepAlive(RENEWED_TTL));
    writer.put(marker, utf8("not kept alive"), ttl(RENEWED_TTL));

    awaitGone(marker, RENEWED_TTL);
    assertThat(store().get(k).valueAsString()).isEqualTo("registered");
  }

  @Test
  public void keepAliveKeyExpiresOnceItsStoreCloses() {
    String k = key("k");
    Store writer = openStore();
    writer.put(k, utf8("registered"), keepAlive(RENEWED_TTL));

    writer.close();

    awaitGone(k, RENEWED_TTL);
    assertThat(store().exists(k)).isFalse();
  }

  // --- lock TTL ---

  @Test
  public void aHeldLockIsRenewedPastItsTtl() throws InterruptedException {
    String k = key("lk");
    String marker = key("marker");
    LockOptions options = LockOptions.builder().ttl(RENEWED_TTL).build();
    Locker holder = openStore().newLock(k, options);
    Lease lease = holder.lock();
    store().put(marker, utf8("expires with the lock's first TTL"), ttl(RENEWED_TTL));

    awaitGone(marker, RENEWED_TTL);

    assertThat(store().newLock(k, options).tryLock(SHORT_TRY)).isEmpty();
    assertThat(lease.released()).isNotDone();
    holder.unlock();
  }

  @Test
  public void aLockIsAcquiredElsewhereWhenItsHoldersStoreClosesWithoutUnlocking()
      throws InterruptedException {
    String k = key("lk");
    LockOptions options = LockOptions.builder().ttl(LOCK_TTL).build();
    Store holderStore = openStore();
    holderStore.newLock(k, options).lock();

    holderStore.close();

    Optional<Lease> taken =
        store().newLock(k, options).tryLock(traits().effectiveTtl(LOCK_TTL).plus(EXPIRY_MARGIN));
    assertThat(taken).isPresent();
  }

  @Test
  public void closingTheStoreCompletesTheHeldLeasesReleased() throws InterruptedException {
    Store holderStore = openStore();
    Lease lease = holderStore.newLock(key("lk"), LockOptions.builder().ttl(LOCK_TTL).build()).lock();
    assertThat(lease.released()).isNotDone();

    holderStore.close();

    assertThat(lease.released()).succeedsWithin(traits().effectiveTtl(LOCK_TTL).plus(EXPIRY_MARGIN));
  }

  @Test
  public void aDeleteOnUnlockKeyDisappearsWhenItsHoldersStoreCloses() throws InterruptedException {
    String k = key("lk");
    Store holderStore = openStore();
    LockOptions options =
        LockOptions.builder().value(utf8("holder")).ttl(LOCK_TTL).deleteOnUnlock(true).build();
    holderStore.newLock(k, options).lock();
    assertThat(store().exists(k)).isTrue();

    holderStore.close();

    awaitGone(k, LOCK_TTL);
    assertThat(store().exists(k)).isFalse();
  }

  private static WriteOptions ttl(Duration ttl) {
    return WriteOptions.builder().ttl(ttl).build();
  }

  private static WriteOptions keepAlive(Duration ttl) {
    return WriteOptions.builder().ttl(ttl).keepAlive(true).build();
  }

  /**
   * Waits until {@code key} no longer exists, at most {@code ttl} (raised to the backend's {@link
   * BackendTraits#minimumTtl()}) plus {@link #EXPIRY_MARGIN}.
   */
  private void awaitGone(String key, Duration ttl) {
    eventually(traits().effectiveTtl(ttl).plus(EXPIRY_MARGIN)).until(() -> !store().exists(key));
  }
}
