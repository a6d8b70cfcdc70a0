package dev.valkeyrie.etcdv2;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.KeyEvent;
import dev.valkeyrie.store.KeyEvent.Kind;
import dev.valkeyrie.store.KeyTypeException;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.store.Watch;
import dev.valkeyrie.store.WatchClosedException;
import dev.valkeyrie.store.WriteOptions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Typed watch events: what happened to each key, told apart, for keys and whole trees. */
class WatchEventsTest {
  @RegisterExtension static final EtcdClusterExtension ETCD = EtcdClusterExtension.members(1);
  private static final Duration WAIT = Duration.ofSeconds(30);

  private Store store;
  private String prefix;

  @BeforeEach
  void open(TestInfo test) {
    store = EtcdV2Store.open(ETCD.endpoints(), null);
    prefix = "events/" + test.getTestMethod().orElseThrow().getName();
  }

  @AfterEach
  void close() {
    store.close();
  }

  private String key(String name) {
    return prefix + "/" + name;
  }

  private static KeyEvent next(Watch<KeyEvent> watch) throws InterruptedException {
    KeyEvent event = watch.poll(WAIT);
    assertThat(event).as("an event within %s", WAIT).isNotNull();
    return event;
  }

  /** Takes every queued update; true once the latest one taken has {@code value}. */
  private static boolean drainsTo(Watch<KVPair> watch, String value) throws InterruptedException {
    KVPair last = null;
    for (KVPair update = watch.poll(Duration.ofMillis(100));
        update != null;
        update = watch.poll(Duration.ofMillis(100))) {
      last = update;
    }
    return last != null && last.valueAsString().equals(value);
  }

  @Test
  void keyEventsTellModificationDeletionAndRecreationApart() throws InterruptedException {
    store.put(key("k"), "v1".getBytes(UTF_8));
    try (Watch<KeyEvent> watch = store.watchEvents(key("k"), null)) {
      assertThat(next(watch))
          .extracting(KeyEvent::kind, e -> e.pair().valueAsString())
          .containsExactly(Kind.CURRENT, "v1");

      store.put(key("k"), new byte[0]);
      store.delete(key("k"));
      store.put(key("k"), "v3".getBytes(UTF_8));

      KeyEvent emptied = next(watch);
      KeyEvent deleted = next(watch);
      KeyEvent recreated = next(watch);
      assertThat(emptied.kind()).isEqualTo(Kind.MODIFIED);
      assertThat(emptied.pair().value()).isEmpty();
      assertThat(deleted.kind()).isEqualTo(Kind.DELETED);
      assertThat(deleted.isRemoval()).isTrue();
      assertThat(recreated)
          .extracting(KeyEvent::kind, e -> e.pair().valueAsString())
          .containsExactly(Kind.CREATED, "v3");
      assertThat(List.of(emptied, deleted, recreated))
          .extracting(e -> e.pair().lastIndex())
          .isSorted()
          .doesNotHaveDuplicates();
    }
  }

  @Test
  void expiryIsReportedAsExpired() throws InterruptedException {
    store.put(
        key("ttl"), "v".getBytes(UTF_8), WriteOptions.builder().ttl(Duration.ofSeconds(1)).build());
    try (Watch<KeyEvent> watch = store.watchEvents(key("ttl"), null)) {
      next(watch);

      assertThat(next(watch).kind()).isEqualTo(Kind.EXPIRED);
    }
  }

  @Test
  void treeEventsStartWithTheListingAndFollowEachKey() throws InterruptedException {
    store.put(key("t/a"), "1".getBytes(UTF_8));
    store.put(key("t/sub/b"), "2".getBytes(UTF_8));
    try (Watch<KeyEvent> watch = store.watchTreeEvents(key("t"), null)) {
      List<KeyEvent> initial = List.of(next(watch), next(watch), next(watch));
      assertThat(initial).extracting(KeyEvent::kind).containsOnly(Kind.CURRENT);
      assertThat(initial)
          .extracting(KeyEvent::key)
          .containsExactly(key("t/a"), key("t/sub"), key("t/sub/b"));

      store.put(key("t/new/deep"), "3".getBytes(UTF_8));
      assertThat(List.of(next(watch), next(watch)))
          .extracting(KeyEvent::kind, KeyEvent::key)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(Kind.CREATED, key("t/new")),
              org.assertj.core.groups.Tuple.tuple(Kind.CREATED, key("t/new/deep")));

      store.put(key("t/a"), "changed".getBytes(UTF_8));
      assertThat(next(watch))
          .extracting(KeyEvent::kind, e -> e.pair().valueAsString())
          .containsExactly(Kind.MODIFIED, "changed");

      store.deleteTree(key("t/sub"));
      assertThat(List.of(next(watch), next(watch)))
          .extracting(KeyEvent::kind, KeyEvent::key)
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple(Kind.DELETED, key("t/sub")),
              org.assertj.core.groups.Tuple.tuple(Kind.DELETED, key("t/sub/b")));
    }
  }

  @Test
  void treeWatchKeepsWorkingWhenItsDirectoryIsDeletedAndRecreated() throws InterruptedException {
    store.put(key("d/x"), "1".getBytes(UTF_8));
    try (Watch<List<KVPair>> watch = store.watchTree(key("d"))) {
      watch.take();
      store.deleteTree(key("d"));
      store.put(key("d/y"), "2".getBytes(UTF_8));

      List<KVPair> expected = store.list(key("d"));
      await().atMost(WAIT).until(() -> expected.equals(watch.poll(Duration.ofMillis(200))));
      assertThat(watch.isClosed()).isFalse();
    }
  }

  @Test
  void treeWatchEndsWhenItsDirectoryBecomesAKey() throws InterruptedException {
    store.put(key("dir/x"), "1".getBytes(UTF_8));
    try (Watch<List<KVPair>> watch = store.watchTree(key("dir"))) {
      watch.take();
      store.deleteTree(key("dir"));
      store.put(key("dir"), "now a key".getBytes(UTF_8));

      await().atMost(WAIT).until(watch::isClosed);
      assertThatThrownBy(
              () -> {
                while (true) {
                  watch.take();
                }
              })
          .isInstanceOf(WatchClosedException.class)
          .hasCauseInstanceOf(KeyTypeException.class);
    }
  }

  @Test
  void slowConsumerNeverBlocksTheWatchAndEndsOnTheLatestValue() throws InterruptedException {
    store.put(key("fast"), "0".getBytes(UTF_8));
    try (Watch<KVPair> watch = store.watch(key("fast"))) {
      for (int i = 1; i <= 1500; i++) { // more than the watch's queue holds
        store.put(key("fast"), Integer.toString(i).getBytes(UTF_8));
      }

      await().atMost(WAIT).until(() -> drainsTo(watch, "1500"));
      assertThat(watch.isClosed()).isFalse();
    }
  }
}
