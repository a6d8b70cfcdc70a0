package dev.valkeyrie.testsuite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.KeyNotFoundException;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.store.Watch;
import dev.valkeyrie.store.WatchClosedException;
import dev.valkeyrie.testsuite.Listings.Entry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * The watch contract: {@code watch} on one key (starts with the current value, then every later
 * value in order, also from other stores) and {@code watchTree} on a directory (starts with the
 * current listing, then listings that converge on the directory's content; updates may be
 * coalesced), and how watches end ({@link Watch#close()}, closing the store).
 *
 * <p>Updates are awaited with {@link Watch#poll(Duration)} loops bounded by {@link #AWAIT}; a
 * coalescing backend passes as long as it eventually delivers the state asked for.
 *
 * <p>Run it from a backend module by subclassing it in {@code src/test} and implementing {@link
 * #newStore()} (see {@link StoreContract}):
 *
 * <pre>{@code
 * class EtcdV2WatchTest extends WatchContract {
 *   @RegisterExtension static final EtcdClusterExtension ETCD = ...;
 *   @Override protected Store newStore() { return EtcdV2Store.open(ETCD.endpoints(), config); }
 * }
 * }</pre>
 */
public abstract class WatchContract extends StoreContract {

  private static final int SEQUENTIAL_PUTS = 5;
  private static final Duration QUIET = Duration.ofSeconds(1);

  // --- watch ---

  @Test
  public void watchOfAMissingKeyThrowsKeyNotFound() {
    assertThatThrownBy(() -> store().watch(key("missing")))
        .isInstanceOf(KeyNotFoundException.class);
  }

  @Test
  public void watchStartsWithTheCurrentValue() throws InterruptedException {
    String k = key("k");
    store().put(k, utf8("current"));

    try (Watch<KVPair> watch = store().watch(k)) {
      KVPair first = Watches.next(watch, AWAIT);

      assertThat(first.key()).isEqualTo(k);
      assertThat(first.valueAsString()).isEqualTo("current");
    }
  }

  @Test
  public void watchDeliversEachLaterPutInOrder() throws InterruptedException {
    String k = key("k");
    store().put(k, utf8("0"));

    try (Watch<KVPair> watch = store().watch(k)) {
      List<KVPair> updates = new ArrayList<>();
      updates.add(Watches.next(watch, AWAIT));
      for (int i = 1; i <= SEQUENTIAL_PUTS; i++) {
        String value = Integer.toString(i);
        store().put(k, utf8(value));
        updates.addAll(
            Watches.updatesUntil(watch, update -> update.valueAsString().equals(value), AWAIT));
      }

      assertThat(updates).allSatisfy(update -> assertThat(update.key()).isEqualTo(k));
      assertThat(updates).extracting(update -> Integer.parseInt(update.valueAsString())).isSorted();
      assertThat(updates).extracting(KVPair::lastIndex).isSorted();
    }
  }

  @Test
  public void watchSeesAPutOfAnotherStore() throws InterruptedException {
    String k = key("k");
    store().put(k, utf8("v1"));
    Store writer = openStore();

    try (Watch<KVPair> watch = store().watch(k)) {
      Watches.next(watch, AWAIT);
      writer.put(k, utf8("from another store"));

      KVPair update =
          Watches.awaitUpdate(
              watch, pair -> pair.valueAsString().equals("from another store"), AWAIT);
      assertThat(update.key()).isEqualTo(k);
    }
  }

  @Test
  public void closingAWatchMakesTakeThrowWatchClosed() throws InterruptedException {
    String k = key("k");
    store().put(k, utf8("v"));
    Watch<KVPair> watch = store().watch(k);
    Watches.next(watch, AWAIT);

    watch.close();

    assertThat(watch.isClosed()).isTrue();
    assertTakeThrowsWatchClosed(watch);
  }

  @Test
  public void closingAWatchTwiceIsHarmless() throws InterruptedException {
    String k = key("k");
    store().put(k, utf8("v"));
    Watch<KVPair> watch = store().watch(k);
    Watches.next(watch, AWAIT);
    watch.close();

    assertThatCode(watch::close).doesNotThrowAnyException();
    assertThat(watch.isClosed()).isTrue();
  }

  @Test
  public void closingAWatchLeavesTheOtherWatchesOfTheStoreRunning() throws InterruptedException {
    String k = key("k");
    store().put(k, utf8("v1"));
    Watch<KVPair> closed = store().watch(k);
    try (Watch<KVPair> open = store().watch(k)) {
      Watches.next(closed, AWAIT);
      Watches.next(open, AWAIT);
      closed.close();

      store().put(k, utf8("v2"));

      assertThat(Watches.awaitUpdate(open, pair -> pair.valueAsString().equals("v2"), AWAIT).key())
          .isEqualTo(k);
      assertThat(open.isClosed()).isFalse();
    }
  }

  @Test
  public void closingTheStoreEndsItsWatches() throws InterruptedException {
    String k = key("k");
    store().put(k, utf8("v"));
    Store watcher = openStore();
    Watch<KVPair> watch = watcher.watch(k);
    Watches.next(watch, AWAIT);

    watcher.close();

    assertThat(Watches.awaitClosed(watch, AWAIT)).isInstanceOf(WatchClosedException.class);
    eventually().until(watch::isClosed);
  }

  // --- watchTree ---

  @Test
  public void watchTreeOfAMissingDirectoryThrowsKeyNotFound() {
    assertThatThrownBy(() -> store().watchTree(key("missing")))
        .isInstanceOf(KeyNotFoundException.class);
  }

  @Test
  public void watchTreeStartsWithTheCurrentListing() throws InterruptedException {
    store().put(key("d/a"), utf8("a"));
    store().put(key("d/sub/b"), utf8("b"));
    List<Entry> listing = Listings.entries(store().list(key("d")));

    try (Watch<List<KVPair>> watch = store().watchTree(key("d"))) {
      assertThat(Listings.entries(Watches.next(watch, AWAIT))).isEqualTo(listing);
    }
  }

  @Test
  public void watchTreeReportsNewChildren() throws InterruptedException {
    store().put(key("d/a"), utf8("a"));

    try (Watch<List<KVPair>> watch = store().watchTree(key("d"))) {
      Watches.next(watch, AWAIT);
      store().put(key("d/b"), utf8("b"));
      store().put(key("d/c"), utf8("c"));

      List<Entry> expected =
          List.of(
              new Entry(key("d/a"), "a"), new Entry(key("d/b"), "b"), new Entry(key("d/c"), "c"));
      List<KVPair> snapshot =
          Watches.awaitUpdate(watch, listing -> Listings.entries(listing).equals(expected), AWAIT);
      assertThat(Listings.entries(snapshot)).isEqualTo(expected);
    }
  }

  @Test
  public void watchTreeReportsDeletedChildren() throws InterruptedException {
    store().put(key("d/a"), utf8("a"));
    store().put(key("d/b"), utf8("b"));

    try (Watch<List<KVPair>> watch = store().watchTree(key("d"))) {
      Watches.next(watch, AWAIT);
      store().delete(key("d/b"));

      List<KVPair> snapshot =
          Watches.awaitUpdate(
              watch, listing -> !Listings.keys(listing).contains(key("d/b")), AWAIT);
      assertThat(Listings.entries(snapshot)).containsExactly(new Entry(key("d/a"), "a"));
    }
  }

  @Test
  public void watchTreeSeesWritesOfAnotherStore() throws InterruptedException {
    store().put(key("d/a"), utf8("a"));
    Store writer = openStore();

    try (Watch<List<KVPair>> watch = store().watchTree(key("d"))) {
      Watches.next(watch, AWAIT);
      writer.put(key("d/b"), utf8("b"));

      List<KVPair> snapshot =
          Watches.awaitUpdate(watch, listing -> Listings.keys(listing).contains(key("d/b")), AWAIT);
      assertThat(Listings.entries(snapshot))
          .containsExactly(new Entry(key("d/a"), "a"), new Entry(key("d/b"), "b"));
    }
  }

  @Test
  public void watchTreeSettlesOnTheListingOnceWritesStop() throws InterruptedException {
    store().put(key("d/a"), utf8("a1"));
    store().put(key("d/b"), utf8("b"));

    try (Watch<List<KVPair>> watch = store().watchTree(key("d"))) {
      Watches.next(watch, AWAIT);
      store().put(key("d/a"), utf8("a2"));
      store().put(key("d/sub/c"), utf8("c"));
      store().delete(key("d/b"));
      store().put(key("d/e"), utf8("e"));
      List<Entry> expected = Listings.entries(store().list(key("d")));

      Watches.awaitUpdate(watch, listing -> Listings.entries(listing).equals(expected), AWAIT);
      List<List<KVPair>> later = Watches.drain(watch, QUIET);

      if (traits().listIncludesImplicitDirectories()) {
        assertThat(expected)
            .containsExactly(
                new Entry(key("d/a"), "a2"),
                new Entry(key("d/e"), "e"),
                new Entry(key("d/sub"), ""),
                new Entry(key("d/sub/c"), "c"));
      } else {
        assertThat(expected)
            .containsExactly(
                new Entry(key("d/a"), "a2"),
                new Entry(key("d/e"), "e"),
                new Entry(key("d/sub/c"), "c"));
      }
      assertThat(later)
          .allSatisfy(listing -> assertThat(Listings.entries(listing)).isEqualTo(expected));
    }
  }

  @Test
  public void closingATreeWatchMakesTakeThrowWatchClosed() throws InterruptedException {
    store().put(key("d/a"), utf8("a"));
    Watch<List<KVPair>> watch = store().watchTree(key("d"));
    Watches.next(watch, AWAIT);

    watch.close();

    assertThat(watch.isClosed()).isTrue();
    assertTakeThrowsWatchClosed(watch);
  }

  @Test
  public void closingTheStoreEndsItsTreeWatches() throws InterruptedException {
    store().put(key("d/a"), utf8("a"));
    Store watcher = openStore();
    Watch<List<KVPair>> watch = watcher.watchTree(key("d"));
    Watches.next(watch, AWAIT);

    watcher.close();

    assertThat(Watches.awaitClosed(watch, AWAIT)).isInstanceOf(WatchClosedException.class);
    eventually().until(watch::isClosed);
  }

  /** Calls {@link Watch#take()} on another thread: it must throw WatchClosedException in time. */
  private void assertTakeThrowsWatchClosed(Watch<?> watch) {
    assertThat(inBackground(watch::take))
        .failsWithin(AWAIT)
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(WatchClosedException.class);
  }
}
