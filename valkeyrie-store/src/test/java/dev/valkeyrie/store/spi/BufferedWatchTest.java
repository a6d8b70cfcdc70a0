package dev.valkeyrie.store.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.valkeyrie.store.StoreUnavailableException;
import dev.valkeyrie.store.WatchClosedException;
import dev.valkeyrie.store.WatchListener;
import dev.valkeyrie.store.WatchOverflowException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class BufferedWatchTest {

  /** Only a bound on how long an empty poll waits; nothing is timed. */
  private static final Duration TINY = Duration.ofMillis(10);

  private final BufferedWatch<String> watch =
      new BufferedWatch<>(3, BufferedWatch.Overflow.DROP_OLDEST, "key 'k'");

  @Test
  void takeReturnsOfferedUpdatesInOrder() throws InterruptedException {
    watch.offer("1");
    watch.offer("2");
    watch.offer("3");

    assertThat(watch.take()).isEqualTo("1");
    assertThat(watch.take()).isEqualTo("2");
    assertThat(watch.take()).isEqualTo("3");
  }

  @Test
  void pollReturnsAQueuedUpdate() throws InterruptedException {
    watch.offer("1");

    assertThat(watch.poll(TINY)).isEqualTo("1");
  }

  @Test
  void pollReturnsNullWhenNothingComes() throws InterruptedException {
    assertThat(watch.poll(TINY)).isNull();
  }

  @Test
  void pollWithZeroTimeoutReturnsNullAtOnceWhenEmpty() throws InterruptedException {
    assertThat(watch.poll(Duration.ZERO)).isNull();
  }

  @Test
  void whenCapacityIsExceededTheOldestIsDroppedAndTheLatestKept() throws InterruptedException {
    watch.offer("1");
    watch.offer("2");
    watch.offer("3");
    watch.offer("4");
    watch.offer("5");

    assertThat(watch.take()).isEqualTo("3");
    assertThat(watch.take()).isEqualTo("4");
    assertThat(watch.take()).isEqualTo("5");
    assertThat(watch.poll(TINY)).isNull();
  }

  @Test
  void offerWakesABlockedTake() throws Exception {
    CompletableFuture<String> taken = CompletableFuture.supplyAsync(this::takeUnchecked);

    watch.offer("late");

    assertThat(taken.get(10, TimeUnit.SECONDS)).isEqualTo("late");
  }

  @Test
  void anOpenWatchIsNotClosed() {
    assertThat(watch.isClosed()).isFalse();
  }

  @Test
  void closeMakesTakeThrowWatchClosed() {
    watch.offer("pending");

    watch.close();

    assertThatThrownBy(watch::take)
        .isInstanceOf(WatchClosedException.class)
        .hasMessageContaining("key 'k'")
        .hasMessageContaining("closed");
  }

  @Test
  void closeMakesPollThrowWatchClosed() {
    watch.close();

    assertThatThrownBy(() -> watch.poll(TINY)).isInstanceOf(WatchClosedException.class);
  }

  @Test
  void closeWakesABlockedTake() {
    CompletableFuture<String> taken = CompletableFuture.supplyAsync(this::takeUnchecked);

    watch.close();

    assertThatThrownBy(() -> taken.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(WatchClosedException.class);
  }

  @Test
  void closeRunsTheOnCloseHookOnce() {
    AtomicInteger runs = new AtomicInteger();
    watch.onClose(runs::incrementAndGet);

    watch.close();
    watch.close();

    assertThat(runs).hasValue(1);
  }

  @Test
  void closeMarksTheWatchClosed() {
    watch.close();

    assertThat(watch.isClosed()).isTrue();
  }

  @Test
  void offersAfterCloseAreIgnored() {
    watch.close();
    watch.offer("ignored");

    assertThatThrownBy(watch::take).isInstanceOf(WatchClosedException.class);
  }

  @Test
  void failLetsQueuedUpdatesBeTakenFirst() throws InterruptedException {
    watch.offer("1");
    watch.offer("2");

    watch.fail(new StoreUnavailableException("etcd gone"));

    assertThat(watch.take()).isEqualTo("1");
    assertThat(watch.poll(TINY)).isEqualTo("2");
  }

  @Test
  void failThenThrowsWatchClosedWithTheCause() throws InterruptedException {
    StoreUnavailableException cause = new StoreUnavailableException("etcd gone");
    watch.offer("1");
    watch.fail(cause);
    watch.take();

    assertThatThrownBy(watch::take)
        .isInstanceOf(WatchClosedException.class)
        .hasCause(cause)
        .hasMessageContaining("etcd gone");
  }

  @Test
  void failWakesABlockedTakeWithTheCause() {
    StoreUnavailableException cause = new StoreUnavailableException("etcd gone");
    CompletableFuture<String> taken = CompletableFuture.supplyAsync(this::takeUnchecked);

    watch.fail(cause);

    assertThatThrownBy(() -> taken.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasRootCause(cause);
  }

  @Test
  void theFirstFailureIsKept() {
    StoreUnavailableException first = new StoreUnavailableException("first");
    watch.fail(first);
    watch.fail(new StoreUnavailableException("second"));

    assertThatThrownBy(watch::take).hasCause(first);
  }

  @Test
  void failMarksTheWatchClosedEvenWithUpdatesQueued() {
    watch.offer("1");

    watch.fail(new StoreUnavailableException("etcd gone"));

    assertThat(watch.isClosed()).isTrue();
  }

  @Test
  void offersAfterFailAreIgnored() {
    watch.fail(new StoreUnavailableException("etcd gone"));
    watch.offer("ignored");

    assertThatThrownBy(watch::take).isInstanceOf(WatchClosedException.class);
  }

  @Test
  void failDoesNotRunTheOnCloseHook() {
    AtomicInteger runs = new AtomicInteger();
    watch.onClose(runs::incrementAndGet);

    watch.fail(new StoreUnavailableException("etcd gone"));

    assertThat(runs).hasValue(0);
  }

  @Test
  void toStringNamesWhatIsWatched() {
    assertThat(watch.toString()).contains("key 'k'");
  }

  private String takeUnchecked() {
    try {
      return watch.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  // ---- an event watch never drops an event unseen ----

  @Test
  void aFullEventWatchEndsAfterTheQueuedEventsInsteadOfDroppingOne() throws Exception {
    BufferedWatch<String> events =
        new BufferedWatch<>(2, BufferedWatch.Overflow.FAIL, "directory 'd'");
    AtomicBoolean producerStopped = new AtomicBoolean();
    events.onClose(() -> producerStopped.set(true));

    events.offer("a");
    events.offer("b");
    events.offer("c");

    assertThat(events.take()).isEqualTo("a");
    assertThat(events.take()).isEqualTo("b");
    assertThatThrownBy(events::take)
        .isInstanceOf(WatchClosedException.class)
        .hasCauseInstanceOf(WatchOverflowException.class)
        .hasMessageContaining("directory 'd'");
    assertThat(producerStopped).isTrue();
    assertThat(events.isClosed()).isTrue();
  }

  @Test
  void anOverflowReachesAListenerAsItsLastCall() {
    BufferedWatch<String> events = new BufferedWatch<>(1, BufferedWatch.Overflow.FAIL, "key 'k'");
    List<String> heard = new ArrayList<>();
    AtomicReference<Throwable> closedWith = new AtomicReference<>();
    events.offer("a");
    events.offer("b");

    events.listen(
        new WatchListener<>() {
          @Override
          public void onUpdate(String update) {
            heard.add(update);
          }

          @Override
          public void onClose(Throwable cause) {
            closedWith.set(cause);
          }
        },
        Runnable::run);

    assertThat(heard).containsExactly("a");
    assertThat(closedWith.get()).isInstanceOf(WatchOverflowException.class);
  }

  @Test
  void aCapacityBelowOneIsRefused() {
    assertThatThrownBy(() -> new BufferedWatch<String>(0, BufferedWatch.Overflow.FAIL, "key 'k'"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
