package dev.valkeyrie.etcdv3;

import static dev.valkeyrie.etcdv3.TestSupport.threadsNamed;
import static dev.valkeyrie.etcdv3.TestSupport.utf8;
import static dev.valkeyrie.etcdv3.WatchTesting.etcdMetric;
import static dev.valkeyrie.etcdv3.WatchTesting.next;
import static dev.valkeyrie.etcdv3.WatchTesting.open;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.etcd.launcher.EtcdCluster;
import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.store.StoreClosedException;
import dev.valkeyrie.store.Watch;
import dev.valkeyrie.store.WatchClosedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Nothing outlives {@code close()}: every watch ends with {@link WatchClosedException} caused by
 * the store closing, the stream is cancelled on etcd, and no thread is left. A store's watches
 * share one stream; a closed watch is cancelled on etcd.
 */
class WatchCloseTest {
  @RegisterExtension
  static final EtcdClusterExtension ETCD =
      EtcdClusterExtension.of(EtcdCluster.builder().name("v3-watch-close"));

  private static final String WATCH_STREAMS = "etcd_debugging_mvcc_watch_stream_total";
  private static final String WATCHERS = "etcd_debugging_mvcc_watcher_total";

  private static Store writer;
  private static String endpoint;

  @BeforeAll
  static void openWriter() {
    writer = EtcdV3Store.open(ETCD.endpoints(), null);
    endpoint = ETCD.endpoints().get(0);
  }

  @AfterAll
  static void closeWriter() {
    writer.close();
  }

  @Test
  void closingTheStoreEndsEveryWatchWithTheStoreClosingAsCause() throws Exception {
    String dir = "close/every";
    writer.put(dir + "/k", utf8("v"));
    Store store = EtcdV3Store.open(ETCD.endpoints(), null);
    List<Watch<?>> watches =
        List.of(
            store.watch(dir + "/k"),
            store.watchEvents(dir + "/k"),
            store.watchTree(dir),
            store.watchTreeEvents(dir));
    for (Watch<?> watch : watches) {
      next(watch);
    }

    store.close();

    for (Watch<?> watch : watches) {
      assertThat(watch.isClosed()).as("%s closed once close() returned", watch).isTrue();
      assertThatThrownBy(watch::take)
          .isInstanceOf(WatchClosedException.class)
          .hasCauseInstanceOf(StoreClosedException.class);
    }
  }

  @Test
  void nothingOfAStoresWatchesOutlivesClose() throws Exception {
    String key = "close/threads/k";
    writer.put(key, utf8("v"));
    long streamsBefore = etcdMetric(endpoint, WATCH_STREAMS);
    EtcdV3Store store = EtcdV3Store.open(ETCD.endpoints(), null);
    String prefix = store.threadPrefix();
    List<Watch<KVPair>> watches = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      watches.add(store.watch(key));
    }
    for (Watch<KVPair> watch : watches) {
      next(watch);
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> etcdMetric(endpoint, WATCH_STREAMS) == streamsBefore + 1);

    store.close();

    assertThat(threadsNamed(prefix)).as("threads of the closed store").isEmpty();
    await("etcd's watch streams back to before")
        .atMost(Duration.ofSeconds(10))
        .until(() -> etcdMetric(endpoint, WATCH_STREAMS) == streamsBefore);
  }

  @Test
  void aStoresWatchesShareOneStreamAndAClosedWatchIsCancelledOnEtcd() throws Exception {
    String key = "close/share/k";
    writer.put(key, utf8("v"));
    long streamsBefore = etcdMetric(endpoint, WATCH_STREAMS);
    long watchersBefore = etcdMetric(endpoint, WATCHERS);
    try (WatchTesting.Opened o = open(ETCD.endpoints(), null)) {
      List<Watch<KVPair>> watches = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        watches.add(o.store().watch(key));
      }
      for (Watch<KVPair> watch : watches) {
        next(watch);
      }
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> etcdMetric(endpoint, WATCHERS) == watchersBefore + 50);
      assertThat(etcdMetric(endpoint, WATCH_STREAMS))
          .as("etcd's watch streams")
          .isEqualTo(streamsBefore + 1);

      watches.remove(0).close();
      await("one watcher fewer on etcd")
          .atMost(Duration.ofSeconds(10))
          .until(() -> etcdMetric(endpoint, WATCHERS) == watchersBefore + 49);

      watches.forEach(Watch::close);
      await("the stream cancelled with the last watch")
          .atMost(Duration.ofSeconds(10))
          .until(() -> etcdMetric(endpoint, WATCH_STREAMS) == streamsBefore);
      assertThat(o.stream().member()).isNull();
    }
  }

  @Test
  void aWatchStartedOnAClosedStoreIsRefused() {
    Store store = EtcdV3Store.open(ETCD.endpoints(), null);
    store.close();

    assertThatThrownBy(() -> store.watch("close/after/k")).isInstanceOf(StoreClosedException.class);
  }
}
