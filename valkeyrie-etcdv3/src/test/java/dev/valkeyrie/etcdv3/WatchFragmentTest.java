package dev.valkeyrie.etcdv3;

import static dev.valkeyrie.etcdv3.WatchTesting.next;
import static dev.valkeyrie.etcdv3.WatchTesting.pollUntil;
import static dev.valkeyrie.etcdv3.WatchTesting.putMany;
import static dev.valkeyrie.etcdv3.WatchTesting.take;
import static org.assertj.core.api.Assertions.assertThat;

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
 * A revision larger than etcd's request limit comes in fragments ({@code fragment}: pitfalls 9,
 * 10), here a deleteTree of big keys (event watches ask for {@code prev_kv}, so each DELETE carries
 * the deleted value); the watch applies the revision only once every part is in.
 */
class WatchFragmentTest {
  @RegisterExtension
  static final EtcdClusterExtension ETCD =
      EtcdClusterExtension.of(EtcdCluster.builder().name("v3-watch-fragments"));

  private static Store writer;
  private static TestSupport.Raw raw;

  @BeforeAll
  static void open() {
    writer = EtcdV3Store.open(ETCD.endpoints(), null);
    raw = new TestSupport.Raw(ETCD.endpoints().get(0));
  }

  @AfterAll
  static void close() throws InterruptedException {
    writer.close();
    raw.close();
  }

  @Test
  void aDeleteTreeOfBigKeysArrivesInFragmentsAndIsAppliedWhole() throws Exception {
    String dir = "fragments/big";
    int keys = 4;
    for (int i = 0; i < keys; i++) {
      writer.put(dir + "/k" + i, new byte[1_400_000]); // each just under the request limit
    }
    try (WatchTesting.Opened o = WatchTesting.open(ETCD.endpoints(), null);
        Watch<KeyEvent> events = o.store().watchTreeEvents(dir);
        Watch<List<KVPair>> listings = o.store().watchTree(dir)) {
      take(events, keys, WatchTesting.AWAIT);
      assertThat(next(listings)).hasSize(keys);
      writer.deleteTree(dir); // one revision of ~5.6 MB with prev_kv

      List<KeyEvent> deletions = take(events, keys, WatchTesting.AWAIT);
      assertThat(deletions).extracting(KeyEvent::kind).containsOnly(Kind.DELETED);
      assertThat(deletions)
          .extracting(e -> e.pair().lastIndex())
          .containsOnly(deletions.get(0).pair().lastIndex());
      assertThat(next(listings)).as("the listing after the deleteTree").isEmpty();
      assertThat(o.stream().fragmentsReceived()).as("fragments").isGreaterThan(0);
      assertThat(o.stream().streamsOpened()).as("streams: none broke").isEqualTo(1);
    }
  }

  @Test
  void aDeleteTreeOfThousandsOfKeysInFragmentsIsOneListingAndOneEventPerKey() throws Exception {
    String dir = "fragments/many";
    int keys = 3_000;
    putMany(raw, dir, keys, 1_000); // ~3 MB of deleted values in one revision
    try (WatchTesting.Opened o = WatchTesting.open(ETCD.endpoints(), null);
        Watch<KeyEvent> events = o.store().watchTreeEvents(dir);
        Watch<List<KVPair>> listings = o.store().watchTree(dir)) {
      take(events, keys, WatchTesting.AWAIT);
      assertThat(next(listings)).hasSize(keys);
      writer.deleteTree(dir);

      List<KeyEvent> deletions = take(events, keys, WatchTesting.AWAIT);
      assertThat(deletions).extracting(KeyEvent::key).doesNotHaveDuplicates();
      List<List<KVPair>> seen = new ArrayList<>();
      pollUntil(listings, List::isEmpty, WatchTesting.AWAIT, seen);
      assertThat(seen).as("listings after the deleteTree: never a part of it").hasSize(1);
      assertThat(o.stream().fragmentsReceived()).as("fragments").isGreaterThan(0);
    }
  }
}
