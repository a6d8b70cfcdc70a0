package dev.valkeyrie.testsuite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.valkeyrie.store.AsyncStore;
import dev.valkeyrie.store.InvalidKeyException;
import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.KeyExistsException;
import dev.valkeyrie.store.KeyModifiedException;
import dev.valkeyrie.store.KeyNotFoundException;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.store.StoreClosedException;
import dev.valkeyrie.store.TooManyRequestsException;
import dev.valkeyrie.store.Watch;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The non-blocking view's contract ({@link Store#async()}): each call's future gives what the
 * blocking call gives, fails with the exception the blocking call throws (unwrapped as the future's
 * cause, never thrown by the call itself), and the bound on outstanding calls refuses calls beyond
 * it without sending them.
 *
 * <p>Run it from a backend module by subclassing it in {@code src/test}, implementing {@link
 * #newStore()} and {@link #newStore(int)} (see {@link StoreContract}).
 */
public abstract class AsyncContract extends StoreContract {

  /**
   * Opens a new store whose bound on outstanding asynchronous calls is {@code
   * maxOutstandingRequests}; the test closes it.
   */
  protected abstract Store newStore(int maxOutstandingRequests);

  private AsyncStore async() {
    return store().async();
  }

  // --- results: the same as the blocking calls' ---

  @Test
  public void putThenGetGiveTheValueWritten() throws Exception {
    String k = key("k");

    done(async().put(k, utf8("v")));

    KVPair read = done(async().get(k));
    assertThat(read.valueAsString()).isEqualTo("v");
    assertThat(read).isEqualTo(store().get(k));
  }

  @Test
  public void existsTellsAPresentKeyFromAnAbsentOne() throws Exception {
    String k = key("k");
    store().put(k, utf8("v"));

    assertThat(done(async().exists(k))).isTrue();
    assertThat(done(async().exists(key("absent")))).isFalse();
  }

  @Test
  public void listGivesWhatTheBlockingListGives() throws Exception {
    store().put(key("d/a"), utf8("1"));
    store().put(key("d/b"), utf8("2"));

    assertThat(done(async().list(key("d")))).isEqualTo(store().list(key("d")));
  }

  @Test
  public void deleteRemovesTheKey() throws Exception {
    String k = key("k");
    store().put(k, utf8("v"));

    done(async().delete(k));

    assertThat(store().exists(k)).isFalse();
  }

  @Test
  public void deleteTreeRemovesTheDirectory() throws Exception {
    store().put(key("d/a"), utf8("1"));
    store().put(key("d/e/b"), utf8("2"));

    done(async().deleteTree(key("d")));

    assertThat(store().exists(key("d"))).isFalse();
    assertThat(store().exists(key("d/e/b"))).isFalse();
  }

  @Test
  public void atomicPutSwapsAgainstThePairRead() throws Exception {
    String k = key("k");
    KVPair first = done(async().atomicPut(k, utf8("v1"), null, null));

    KVPair second = done(async().atomicPut(k, utf8("v2"), first, null));

    assertThat(second.lastIndex()).isGreaterThan(first.lastIndex());
    assertThat(store().get(k).valueAsString()).isEqualTo("v2");
  }

  @Test
  public void atomicDeleteDeletesThePairRead() throws Exception {
    String k = key("k");
    KVPair written = store().atomicPut(k, utf8("v"), null, null);

    long deletedAt = done(async().atomicDelete(k, written));

    assertThat(deletedAt).isGreaterThan(written.lastIndex());
    assertThat(store().exists(k)).isFalse();
  }

  // --- failures: the blocking calls' exceptions, through the future ---

  @Test
  public void getOfAMissingKeyFailsWithKeyNotFound() throws Exception {
    assertThat(failure(async().get(key("absent")))).isInstanceOf(KeyNotFoundException.class);
  }

  @Test
  public void deleteOfAMissingKeyFailsWithKeyNotFound() throws Exception {
    assertThat(failure(async().delete(key("absent")))).isInstanceOf(KeyNotFoundException.class);
  }

  @Test
  public void createOfAnExistingKeyFailsWithKeyExistsAndChangesNothing() throws Exception {
    String k = key("k");
    store().put(k, utf8("original"));

    assertThat(failure(async().atomicPut(k, utf8("other"), null, null)))
        .isInstanceOf(KeyExistsException.class);
    assertThat(store().get(k).valueAsString()).isEqualTo("original");
  }

  @Test
  public void swapAgainstAStalePairFailsWithKeyModifiedAndChangesNothing() throws Exception {
    String k = key("k");
    store().put(k, utf8("v1"));
    KVPair stale = store().get(k);
    store().put(k, utf8("v2"));

    assertThat(failure(async().atomicPut(k, utf8("v3"), stale, null)))
        .isInstanceOf(KeyModifiedException.class);
    assertThat(store().get(k).valueAsString()).isEqualTo("v2");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(TestData.INVALID_KEYS)
  public void anInvalidKeyFailsTheFutureInsteadOfThrowing(UnaryOperator<String> invalidKey)
      throws Exception {
    String k = invalidKey.apply(prefix());
    List<CompletableFuture<?>> futures = new ArrayList<>();

    assertThatCode(
            () -> {
              futures.add(async().put(k, utf8("v")));
              futures.add(async().get(k));
            })
        .doesNotThrowAnyException();

    for (CompletableFuture<?> future : futures) {
      assertThat(failure(future)).isInstanceOf(InvalidKeyException.class);
    }
  }

  @Test
  public void aClosedStoreFailsEveryCallWithStoreClosed() throws Exception {
    Store store = openStore();
    AsyncStore async = store.async();
    store.close();

    assertThat(failure(async.get(key("k")))).isInstanceOf(StoreClosedException.class);
    assertThat(failure(async.put(key("k"), utf8("v")))).isInstanceOf(StoreClosedException.class);
    assertThat(store().exists(key("k"))).isFalse();
  }

  // --- many calls in flight, and the bound ---

  @Test
  public void sixtyFourCallsInFlightFromOneThreadAllComplete() throws Exception {
    List<CompletableFuture<Void>> puts = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      puts.add(async().put(key("k" + i), utf8("v" + i)));
    }
    for (CompletableFuture<Void> put : puts) {
      done(put);
    }

    List<CompletableFuture<KVPair>> gets = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      gets.add(async().get(key("k" + i)));
    }
    for (int i = 0; i < 64; i++) {
      assertThat(done(gets.get(i)).valueAsString()).isEqualTo("v" + i);
    }
  }

  @Test
  public void callsBeyondTheBoundAreRefusedWithoutBeingSent() throws Exception {
    Store bounded = closeAfterTest(newStore(2));
    int calls = 200;
    List<CompletableFuture<Void>> puts = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      puts.add(bounded.async().put(key("k" + i), utf8("v")));
    }

    int refused = 0;
    for (int i = 0; i < calls; i++) {
      Throwable failure = outcome(puts.get(i));
      if (failure == null) {
        assertThat(store().exists(key("k" + i))).as("accepted put %d applied", i).isTrue();
      } else {
        assertThat(failure).isInstanceOf(TooManyRequestsException.class);
        assertThat(store().exists(key("k" + i))).as("refused put %d not applied", i).isFalse();
        refused++;
      }
    }
    // 200 calls made back to back cannot all find fewer than 2 outstanding.
    assertThat(refused).isPositive();
  }

  @Test
  public void callsAreAcceptedAgainOnceTheOutstandingOnesComplete() throws Exception {
    Store bounded = closeAfterTest(newStore(1));
    String k = key("k");
    store().put(k, utf8("v"));

    for (int i = 0; i < 20; i++) {
      assertThat(done(bounded.async().get(k)).valueAsString()).isEqualTo("v");
    }
  }

  @Test
  public void aCallMadeWhenTheLastOneCompletesIsNotRefused() throws Exception {
    Store bounded = closeAfterTest(newStore(1));
    String k = key("k");
    store().put(k, utf8("v"));

    CompletableFuture<KVPair> chained =
        bounded.async().get(k).thenCompose(first -> bounded.async().get(k));

    assertThat(done(chained).valueAsString()).isEqualTo("v");
  }

  // --- watches ---

  @Test
  public void aWatchOpenedThroughTheFutureDeliversChanges() throws Exception {
    String k = key("k");
    store().put(k, utf8("v1"));

    try (Watch<KVPair> watch = done(async().watch(k, null))) {
      assertThat(watch.take().valueAsString()).isEqualTo("v1");
      store().put(k, utf8("v2"));
      assertThat(watch.take().valueAsString()).isEqualTo("v2");
    }
  }

  @Test
  public void aTreeWatchOpenedThroughTheFutureDeliversTheListing() throws Exception {
    store().put(key("d/a"), utf8("1"));

    try (Watch<List<KVPair>> watch = done(async().watchTree(key("d"), null))) {
      assertThat(watch.take()).extracting(KVPair::key).contains(key("d/a"));
      store().put(key("d/b"), utf8("2"));
      assertThat(watch.take()).extracting(KVPair::key).contains(key("d/a"), key("d/b"));
    }
  }

  @Test
  public void aWatchOfAMissingKeyFailsWithKeyNotFound() throws Exception {
    assertThat(failure(async().watch(key("absent"), null)))
        .isInstanceOf(KeyNotFoundException.class);
  }

  // --- helpers ---

  private static <T> T done(CompletableFuture<T> future) throws Exception {
    try {
      return future.get(AWAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("the future failed", e.getCause());
    }
  }

  private static Throwable failure(CompletableFuture<?> future) throws Exception {
    Throwable failure = outcome(future);
    if (failure == null) {
      throw new AssertionError("the future completed normally; expected it to fail");
    }
    return failure;
  }

  private static @Nullable Throwable outcome(CompletableFuture<?> future)
      throws InterruptedException, TimeoutException {
    try {
      future.get(AWAIT.toMillis(), TimeUnit.MILLISECONDS);
      return null;
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }
}
