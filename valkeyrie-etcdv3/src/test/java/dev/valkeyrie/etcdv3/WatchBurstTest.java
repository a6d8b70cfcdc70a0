package dev.valkeyrie.etcdv3;

import static dev.valkeyrie.etcdv3.TestSupport.utf8;
import static dev.valkeyrie.etcdv3.WatchTesting.next;
import static dev.valkeyrie.etcdv3.WatchTesting.pollUntil;
import static dev.valkeyrie.etcdv3.WatchTesting.take;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.etcd.launcher.EtcdCluster;
import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.KeyEvent;
import dev.valkeyrie.store.ReadOptions;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.store.Watch;
import dev.valkeyrie.store.WatchClosedException;
import dev.valkeyrie.store.WatchOverflowException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A consumer that falls far behind a burst of changes: value and snapshot watches end on the latest
 * state (older updates dropped), an event watch ends with {@link WatchOverflowException} after the
 * events it kept (none dropped unseen).
 */
class WatchBurstTest {
  @RegisterExtension
  static final EtcdClusterExtension ETCD =
      EtcdClusterExtension.of(EtcdCluster.builder().name("v3-watch-burst"));

  private static final int BURST = 3_000;

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
  void aValueWatchWhoseConsumerStallsThroughABurstEndsOnTheLatestValue() throws Exception {
    String key = "burst/value/k";
    writer.put(key, utf8("0"));
    try (Store store = EtcdV3Store.open(ETCD.endpoints(), null);
        Watch<KVPair> watch = store.watch(key)) {
      next(watch);
      for (int i = 1; i <= BURST; i++) { // more than the watch keeps (1,024)
        writer.put(key, utf8(Integer.toString(i)));
      }

      List<KVPair> seen = new ArrayList<>();
      pollUntil(
          watch, p -> p.valueAsString().equals(Integer.toString(BURST)), WatchTesting.AWAIT, seen);
      WatchTesting.assertStrictlyIncreasing(seen);
      assertThat(seen.get(seen.size() - 1)).isEqualTo(writer.get(key));
      assertThat(watch.isClosed()).isFalse();
    }
  }

  @Test
  void anEventWatchWhoseConsumerFallsBehindItsCapacityEndsWithWatchOverflow() throws Exception {
    String key = "burst/events/k";
    writer.put(key, utf8("0"));
    ReadOptions small = ReadOptions.builder().watchCapacity(10).build();
    try (Store store = EtcdV3Store.open(ETCD.endpoints(), null);
        Watch<KeyEvent> watch = store.watchEvents(key, small)) {
      for (int i = 1; i <= 30; i++) {
        writer.put(key, utf8(Integer.toString(i)));
      }
      // The consumer has taken nothing yet: the 11th update overflows the queue and ends the watch.
      await().atMost(WatchTesting.AWAIT).until(watch::isClosed);

      List<KeyEvent> kept = take(watch, 10, WatchTesting.AWAIT);
      assertThat(WatchTesting.eventValues(kept))
          .containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
      assertThatThrownBy(watch::take)
          .isInstanceOf(WatchClosedException.class)
          .hasCauseInstanceOf(WatchOverflowException.class);
    }
  }

  @Test
  void aTreeWatchWhoseConsumerStallsThroughABurstEndsOnTheLatestListing() throws Exception {
    String dir = "burst/tree";
    writer.put(dir + "/a", utf8("0"));
    try (Store store = EtcdV3Store.open(ETCD.endpoints(), null);
        Watch<List<KVPair>> watch = store.watchTree(dir)) {
      next(watch);
      for (int i = 1; i <= 1_000; i++) {
        writer.put(dir + "/k" + (i % 10), utf8(Integer.toString(i)));
      }
      writer.delete(dir + "/a");

      List<KVPair> expected = writer.list(dir);
      List<List<KVPair>> seen = new ArrayList<>();
      pollUntil(watch, expected::equals, WatchTesting.AWAIT, seen);
      assertThat(seen.size()).as("listings delivered for 1,001 changes").isLessThan(1_001);
    }
  }
}
