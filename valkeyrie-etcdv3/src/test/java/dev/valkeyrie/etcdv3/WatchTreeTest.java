package dev.valkeyrie.etcdv3;

import static dev.valkeyrie.etcdv3.TestSupport.utf8;
import static dev.valkeyrie.etcdv3.WatchTesting.next;
import static dev.valkeyrie.etcdv3.WatchTesting.pollUntil;
import static dev.valkeyrie.etcdv3.WatchTesting.take;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.etcd.launcher.EtcdCluster;
import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.KeyEvent;
import dev.valkeyrie.store.KeyEvent.Kind;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.store.Watch;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tree watches range over {@code [d/, d0)} exactly (never the raw prefix, which matches {@code dx}:
 * pitfall 2), leave lock side keys out, see a deleteTree as one DELETED per key at one revision,
 * and hand out listings that never change once delivered.
 */
class WatchTreeTest {
  @RegisterExtension
  static final EtcdClusterExtension ETCD =
      EtcdClusterExtension.of(EtcdCluster.builder().name("v3-watch-tree"));

  private static Store writer;

  @BeforeAll
  static void openWriter() {
    writer = EtcdV3Store.open(ETCD.endpoints(), null);
  }

  @AfterAll
  static void closeWriter() {
    writer.close();
  }

  @Test
  void aTreeWatchOfDirSeesNothingOfTheSiblingDirx() throws Exception {
    String dir = "tree/siblings/dir";
    writer.put(dir + "/a", utf8("a"));
    try (Store store = EtcdV3Store.open(ETCD.endpoints(), null);
        Watch<KeyEvent> events = store.watchTreeEvents(dir);
        Watch<List<KVPair>> listings = store.watchTree(dir)) {
      next(events);
      next(listings);
      writer.put(dir + "x/b", utf8("sibling"));
      writer.put(dir + "x", utf8("sibling key"));
      writer.put(dir, utf8("the directory's own key"));
      writer.put(dir + "/c", utf8("c"));

      KeyEvent event = next(events);
      assertThat(event.kind()).isEqualTo(Kind.CREATED);
      assertThat(event.key()).isEqualTo(dir + "/c");
      List<KVPair> listing = pollUntil(listings, l -> l.size() == 2);
      assertThat(listing).isEqualTo(writer.list(dir));
      assertThat(listing).extracting(KVPair::key).containsExactly(dir + "/a", dir + "/c");
    }
  }

  @Test
  void deleteTreeIsOneDeletedEventPerKeyAtOneRevision() throws Exception {
    String dir = "tree/delete-tree";
    int keys = 50;
    for (int i = 0; i < keys; i++) {
      writer.put(dir + "/k" + i, utf8("v" + i));
    }
    try (Store store = EtcdV3Store.open(ETCD.endpoints(), null);
        Watch<KeyEvent> watch = store.watchTreeEvents(dir)) {
      take(watch, keys, WatchTesting.AWAIT);
      writer.deleteTree(dir);

      List<KeyEvent> deletions = take(watch, keys, WatchTesting.AWAIT);
      assertThat(deletions).extracting(KeyEvent::kind).containsOnly(Kind.DELETED);
      assertThat(deletions).extracting(KeyEvent::key).doesNotHaveDuplicates();
      assertThat(deletions)
          .extracting(e -> e.pair().lastIndex())
          .containsOnly(deletions.get(0).pair().lastIndex());
    }
  }

  @Test
  void aSnapshotWatchSeesADeleteTreeAtOnceNeverHalfDone() throws Exception {
    String dir = "tree/delete-tree-snapshot";
    int keys = 50;
    for (int i = 0; i < keys; i++) {
      writer.put(dir + "/k" + i, utf8("v" + i));
    }
    try (Store store = EtcdV3Store.open(ETCD.endpoints(), null);
        Watch<List<KVPair>> watch = store.watchTree(dir)) {
      assertThat(next(watch)).hasSize(keys);
      writer.deleteTree(dir);

      List<List<KVPair>> seen = new ArrayList<>();
      pollUntil(watch, List::isEmpty, WatchTesting.AWAIT, seen);
      assertThat(seen).as("listings after the deleteTree").hasSize(1);
    }
  }

  @Test
  void lockSideKeysAreLeftOutOfTreeWatches() throws Exception {
    String dir = "tree/lock-side";
    writer.put(dir + "/a", utf8("a"));
    try (Store store = EtcdV3Store.open(ETCD.endpoints(), null);
        Watch<KeyEvent> events = store.watchTreeEvents(dir);
        Watch<List<KVPair>> listings = store.watchTree(dir)) {
      next(events);
      next(listings);
      writer.put(dir + "/a___lock/3ceea23388d491d8", utf8("holder"));
      writer.put(dir + "/b", utf8("b"));
      writer.delete(dir + "/a___lock/3ceea23388d491d8");
      writer.put(dir + "/c", utf8("c"));

      assertThat(take(events, 2, WatchTesting.AWAIT))
          .extracting(KeyEvent::key)
          .containsExactly(dir + "/b", dir + "/c");
      List<List<KVPair>> seen = new ArrayList<>();
      pollUntil(listings, l -> l.size() == 3, WatchTesting.AWAIT, seen);
      assertThat(seen)
          .allSatisfy(l -> assertThat(l).extracting(KVPair::key).noneMatch(Key::isLockSideKey));
    }
  }

  @Test
  void aDeliveredListingNeverChangesAndCannotBeChanged() throws Exception {
    String dir = "tree/immutable";
    writer.put(dir + "/a", utf8("a"));
    try (Store store = EtcdV3Store.open(ETCD.endpoints(), null);
        Watch<List<KVPair>> watch = store.watchTree(dir)) {
      List<KVPair> first = next(watch);
      List<KVPair> copy = List.copyOf(first);
      writer.put(dir + "/a", utf8("a2"));
      writer.put(dir + "/b", utf8("b"));
      pollUntil(watch, l -> l.size() == 2);

      assertThat(first).isEqualTo(copy);
      assertThatThrownBy(() -> first.add(new KVPair(dir + "/x", new byte[0], 1)))
          .isInstanceOf(UnsupportedOperationException.class);
    }
  }
}
