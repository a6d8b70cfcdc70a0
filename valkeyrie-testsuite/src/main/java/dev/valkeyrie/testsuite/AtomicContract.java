package dev.valkeyrie.testsuite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.KeyExistsException;
import dev.valkeyrie.store.KeyModifiedException;
import dev.valkeyrie.store.KeyNotFoundException;
import dev.valkeyrie.store.PreviousNotSpecifiedException;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.store.WriteOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The compare-and-swap contract: {@code atomicPut} as create-if-absent and as compare-and-swap
 * against a previously read {@link KVPair}, {@code atomicDelete} as compare-and-delete, and a
 * counter incremented concurrently from several threads and stores that loses no update.
 *
 * <p>Run it from a backend module by subclassing it in {@code src/test} and implementing {@link
 * #newStore()} (see {@link StoreContract}):
 *
 * <pre>{@code
 * class EtcdV2AtomicTest extends AtomicContract {
 *   @RegisterExtension static final EtcdClusterExtension ETCD = ...;
 *   @Override protected Store newStore() { return EtcdV2Store.open(ETCD.endpoints(), config); }
 * }
 * }</pre>
 */
public abstract class AtomicContract extends StoreContract {

  private static final int COUNTER_THREADS = 4;
  private static final int INCREMENTS_PER_THREAD = 25;

  // --- atomicPut without previous: create if absent ---

  @Test
  public void atomicPutWithoutPreviousCreatesAnAbsentKey() {
    String k = key("k");

    KVPair created = store().atomicPut(k, utf8("v"), null, null);

    assertThat(created.key()).isEqualTo(k);
    assertThat(created.valueAsString()).isEqualTo("v");
    assertThat(created.lastIndex()).isPositive();
    assertThat(store().get(k).valueAsString()).isEqualTo("v");
  }

  @Test
  public void atomicPutReturnsThePairAsStored() {
    String k = key("k");

    KVPair created = store().atomicPut(k, utf8("v"), null, WriteOptions.DEFAULT);

    assertThat(store().get(k)).isEqualTo(created);
  }

  @Test
  public void atomicPutWithoutPreviousOnAnExistingKeyThrowsKeyExists() {
    String k = key("k");
    store().put(k, utf8("original"));

    assertThatThrownBy(() -> store().atomicPut(k, utf8("other"), null, null))
        .isInstanceOf(KeyExistsException.class);
    assertThat(store().get(k).valueAsString()).isEqualTo("original");
  }

  // --- atomicPut with previous: compare and swap ---

  @Test
  public void atomicPutWithTheCurrentPairFromGetSwapsTheValue() {
    String k = key("k");
    store().put(k, utf8("v1"));
    KVPair previous = store().get(k);

    KVPair swapped = store().atomicPut(k, utf8("v2"), previous, null);

    assertThat(swapped.key()).isEqualTo(k);
    assertThat(swapped.valueAsString()).isEqualTo("v2");
    assertThat(swapped.lastIndex()).isGreaterThan(previous.lastIndex());
    assertThat(store().get(k).valueAsString()).isEqualTo("v2");
  }

  @Test
  public void atomicPutAcceptsThePairReturnedByAtomicPut() {
    String k = key("k");
    KVPair first = store().atomicPut(k, utf8("v1"), null, null);

    KVPair second = store().atomicPut(k, utf8("v2"), first, null);
    KVPair third = store().atomicPut(k, utf8("v3"), second, null);

    assertThat(second.lastIndex()).isGreaterThan(first.lastIndex());
    assertThat(third.lastIndex()).isGreaterThan(second.lastIndex());
    assertThat(store().get(k).valueAsString()).isEqualTo("v3");
  }

  @Test
  public void atomicPutWithAStalePairThrowsKeyModified() {
    String k = key("k");
    store().put(k, utf8("v1"));
    KVPair stale = store().get(k);
    store().put(k, utf8("changed meanwhile"));

    assertThatThrownBy(() -> store().atomicPut(k, utf8("v2"), stale, null))
        .isInstanceOf(KeyModifiedException.class);
    assertThat(store().get(k).valueAsString()).isEqualTo("changed meanwhile");
  }

  @Test
  public void atomicPutWithAPairStaleFromAnotherStoreThrowsKeyModified() {
    String k = key("k");
    store().put(k, utf8("v1"));
    KVPair stale = store().get(k);
    Store other = openStore();
    other.atomicPut(k, utf8("won by the other store"), other.get(k), null);

    assertThatThrownBy(() -> store().atomicPut(k, utf8("v2"), stale, null))
        .isInstanceOf(KeyModifiedException.class);
    assertThat(store().get(k).valueAsString()).isEqualTo("won by the other store");
  }

  @Test
  public void atomicPutWithThePairOfADeletedKeyThrowsKeyNotFound() {
    String k = key("k");
    store().put(k, utf8("v1"));
    KVPair previous = store().get(k);
    store().delete(k);

    assertThatThrownBy(() -> store().atomicPut(k, utf8("v2"), previous, null))
        .isInstanceOf(KeyNotFoundException.class);
    assertThat(store().exists(k)).isFalse();
  }

  // --- atomicDelete: compare and delete ---

  @Test
  public void atomicDeleteWithoutPreviousThrowsPreviousNotSpecified() {
    String k = key("k");
    store().put(k, utf8("v"));

    assertThatThrownBy(() -> store().atomicDelete(k, null))
        .isInstanceOf(PreviousNotSpecifiedException.class);
    assertThat(store().get(k).valueAsString()).isEqualTo("v");
  }

  @Test
  public void atomicDeleteWithTheCurrentPairDeletesTheKey() {
    String k = key("k");
    store().put(k, utf8("v"));

    store().atomicDelete(k, store().get(k));

    assertThat(store().exists(k)).isFalse();
  }

  @Test
  public void atomicDeleteAcceptsThePairReturnedByAtomicPut() {
    String k = key("k");
    KVPair created = store().atomicPut(k, utf8("v"), null, null);

    store().atomicDelete(k, created);

    assertThat(store().exists(k)).isFalse();
  }

  @Test
  public void atomicDeleteWithAStalePairThrowsKeyModifiedAndKeepsTheKey() {
    String k = key("k");
    store().put(k, utf8("v1"));
    KVPair stale = store().get(k);
    store().put(k, utf8("changed meanwhile"));

    assertThatThrownBy(() -> store().atomicDelete(k, stale))
        .isInstanceOf(KeyModifiedException.class);
    assertThat(store().get(k).valueAsString()).isEqualTo("changed meanwhile");
  }

  @Test
  public void atomicDeleteOfAMissingKeyThrowsKeyNotFound() {
    String k = key("k");
    store().put(k, utf8("v"));
    KVPair previous = store().get(k);
    store().delete(k);

    assertThatThrownBy(() -> store().atomicDelete(k, previous))
        .isInstanceOf(KeyNotFoundException.class);
  }

  // --- concurrency ---

  @Test
  public void concurrentAtomicIncrementsLoseNoUpdate() throws InterruptedException {
    String counter = key("counter");
    store().atomicPut(counter, utf8("0"), null, null);
    List<Store> stores = List.of(store(), openStore());

    ConcurrentRunner.run(
        COUNTER_THREADS,
        CONCURRENT_AWAIT,
        thread -> {
          Store store = stores.get(thread % stores.size());
          for (int i = 0; i < INCREMENTS_PER_THREAD; i++) {
            increment(store, counter);
          }
        });

    assertThat(store().get(counter).valueAsString())
        .isEqualTo(Integer.toString(COUNTER_THREADS * INCREMENTS_PER_THREAD));
  }

  /** Adds one to the counter under {@code key}: read, compare-and-swap, retry when overtaken. */
  private static void increment(Store store, String key) throws InterruptedException {
    while (true) {
      if (Thread.interrupted()) {
        throw new InterruptedException("increment of " + key + " interrupted");
      }
      KVPair current = store.get(key);
      int next = Integer.parseInt(current.valueAsString()) + 1;
      try {
        store.atomicPut(key, utf8(Integer.toString(next)), current, null);
        return;
      } catch (KeyModifiedException overtaken) {
        // another incrementer won this round: read again
      }
    }
  }
}
