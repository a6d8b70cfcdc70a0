package dev.valkeyrie.etcdv3;

import static dev.valkeyrie.etcdv3.TestSupport.utf8;
import static dev.valkeyrie.etcdv3.WatchTesting.next;
import static dev.valkeyrie.etcdv3.WatchTesting.open;
import static dev.valkeyrie.etcdv3.WatchTesting.pollUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.etcd.launcher.EtcdCluster;
import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.KeyEvent;
import dev.valkeyrie.store.KeyEvent.Kind;
import dev.valkeyrie.store.KeyNotFoundException;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.store.Watch;
import dev.valkeyrie.store.WriteOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Where a watch starts: at the revision of the read that produced its first update, plus one. A
 * write between that read and the watch's creation on the stream is delivered; a write before the
 * read is part of the first update and never delivered again (pitfall 18).
 */
class WatchStartTest {
  @RegisterExtension
  static final EtcdClusterExtension ETCD =
      EtcdClusterExtension.of(EtcdCluster.builder().name("v3-watch-start"));

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
  void aWriteBetweenTheFirstReadAndTheWatchIsDelivered() throws Exception {
    String key = "start/between/k";
    writer.put(key, utf8("before"));
    AtomicBoolean once = new AtomicBoolean();
    try (WatchTesting.Opened o =
            open(
                ETCD.endpoints(),
                null,
                (k, revision) -> {
                  if (once.compareAndSet(false, true)) {
                    writer.put(key, utf8("between")); // after the read, before the watch is created
                  }
                });
        Watch<KeyEvent> watch = o.store().watchEvents(key)) {
      KeyEvent first = next(watch);
      KeyEvent second = next(watch);

      assertThat(first.kind()).isEqualTo(Kind.CURRENT);
      assertThat(first.pair().valueAsString()).isEqualTo("before");
      assertThat(second.kind()).isEqualTo(Kind.MODIFIED);
      assertThat(second.pair()).isEqualTo(writer.get(key));
    }
  }

  @Test
  void aChildWrittenBetweenTheFirstReadAndTheTreeWatchIsDelivered() throws Exception {
    String dir = "start/tree-between";
    writer.put(dir + "/a", utf8("a"));
    AtomicBoolean once = new AtomicBoolean();
    try (WatchTesting.Opened o =
            open(
                ETCD.endpoints(),
                null,
                (k, revision) -> {
                  if (once.compareAndSet(false, true)) {
                    writer.put(dir + "/b", utf8("b"));
                  }
                });
        Watch<List<KVPair>> watch = o.store().watchTree(dir)) {
      assertThat(next(watch)).extracting(KVPair::key).containsExactly(dir + "/a");

      List<KVPair> listing = pollUntil(watch, l -> l.size() == 2);
      assertThat(listing).isEqualTo(writer.list(dir));
    }
  }

  @Test
  void aValueWrittenBeforeTheWatchIsNeverDeliveredAgain() throws Exception {
    String key = "start/before/k";
    writer.put(key, utf8("v1"));
    writer.put(key, utf8("v2"));
    try (Store store = EtcdV3Store.open(ETCD.endpoints(), null);
        Watch<KVPair> watch = store.watch(key)) {
      List<KVPair> seen = new ArrayList<>();
      seen.add(next(watch));
      writer.put(key, utf8("v3"));
      pollUntil(watch, p -> p.valueAsString().equals("v3"), WatchTesting.AWAIT, seen);

      assertThat(WatchTesting.values(seen)).containsExactly("v2", "v3");
      assertThat(watch.poll(Duration.ofMillis(500))).as("an update after the last write").isNull();
    }
  }

  @Test
  void aDirectoryThatIsOnlyAKeyStartsEmptyAndSeesItsFirstEntry() throws Exception {
    String dir = "start/only-a-key";
    writer.put(dir, new byte[0], WriteOptions.builder().isDir(true).build());
    try (Store store = EtcdV3Store.open(ETCD.endpoints(), null);
        Watch<List<KVPair>> watch = store.watchTree(dir)) {
      assertThat(next(watch)).isEmpty();
      writer.put(dir + "/a", utf8("a"));

      assertThat(pollUntil(watch, l -> !l.isEmpty()))
          .extracting(KVPair::key)
          .containsExactly(dir + "/a");
    }
  }

  @Test
  void eventWatchesOfAMissingKeyOrDirectoryThrowKeyNotFound() {
    try (Store store = EtcdV3Store.open(ETCD.endpoints(), null)) {
      assertThatThrownBy(() -> store.watchEvents("start/missing/k"))
          .isInstanceOf(KeyNotFoundException.class)
          .hasMessageContaining("start/missing/k");
      assertThatThrownBy(() -> store.watchTreeEvents("start/missing/d"))
          .isInstanceOf(KeyNotFoundException.class)
          .hasMessageContaining("start/missing/d");
    }
  }
}
