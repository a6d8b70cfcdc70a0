package dev.valkeyrie.etcdv3;

import static dev.valkeyrie.etcdv3.TestSupport.utf8;
import static dev.valkeyrie.etcdv3.WatchTesting.next;
import static dev.valkeyrie.etcdv3.WatchTesting.open;
import static dev.valkeyrie.etcdv3.WatchTesting.take;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.etcd.launcher.EtcdCluster;
import dev.valkeyrie.etcdv3.rpc.LeaseGrantRequest;
import dev.valkeyrie.etcdv3.rpc.PutRequest;
import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.KeyEvent;
import dev.valkeyrie.store.KeyEvent.Kind;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.store.Watch;
import dev.valkeyrie.store.WriteOptions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Event kinds as on v2: a PUT with {@code create_revision == mod_revision} is CREATED, other PUTs
 * MODIFIED; a DELETE is EXPIRED only when the key's lease is gone (asked once per lease and
 * revision: pitfall 15), else DELETED; a value watch sees a removal as an empty value at the
 * removal's revision.
 */
class WatchKindsTest {
  @RegisterExtension
  static final EtcdClusterExtension ETCD =
      EtcdClusterExtension.of(EtcdCluster.builder().name("v3-watch-kinds"));

  private static final WriteOptions TTL = WriteOptions.builder().ttl(Duration.ofSeconds(2)).build();
  private static final WriteOptions LONG_TTL =
      WriteOptions.builder().ttl(Duration.ofMinutes(5)).build();

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
  void aKeysEventsAreModifiedDeletedCreatedAgainAndModified() throws Exception {
    String key = "kinds/life/k";
    writer.put(key, utf8("v0"));
    try (Store store = EtcdV3Store.open(ETCD.endpoints(), null);
        Watch<KeyEvent> watch = store.watchEvents(key)) {
      assertThat(next(watch).kind()).isEqualTo(Kind.CURRENT);
      writer.put(key, utf8("v1"));
      long deletedAt = writer.atomicDelete(key, writer.get(key));
      writer.put(key, utf8("v2"));
      writer.put(key, utf8("v3"));

      List<KeyEvent> events = take(watch, 4, WatchTesting.AWAIT);
      assertThat(events)
          .extracting(KeyEvent::kind)
          .containsExactly(Kind.MODIFIED, Kind.DELETED, Kind.CREATED, Kind.MODIFIED);
      assertThat(events.get(1).pair()).isEqualTo(new KVPair(key, new byte[0], deletedAt));
      assertThat(events.get(3).pair()).isEqualTo(writer.get(key));
    }
  }

  @Test
  void aValueWatchGetsADeletionAsAnEmptyValueAtTheDeletionsRevision() throws Exception {
    String key = "kinds/value-delete/k";
    writer.put(key, utf8("v"));
    try (Store store = EtcdV3Store.open(ETCD.endpoints(), null);
        Watch<KVPair> watch = store.watch(key)) {
      next(watch);
      long deletedAt = writer.atomicDelete(key, writer.get(key));

      assertThat(next(watch)).isEqualTo(new KVPair(key, new byte[0], deletedAt));
    }
  }

  @Test
  void aKeyWhoseTtlRunsOutIsExpired() throws Exception {
    String key = "kinds/expires/k";
    writer.put(key, utf8("v"), TTL);
    try (Store store = EtcdV3Store.open(ETCD.endpoints(), null);
        Watch<KeyEvent> watch = store.watchEvents(key)) {
      assertThat(next(watch).kind()).isEqualTo(Kind.CURRENT);

      KeyEvent expiry = next(watch);
      assertThat(expiry.kind()).isEqualTo(Kind.EXPIRED);
      assertThat(expiry.pair().value()).isEmpty();
    }
  }

  @Test
  void aKeyWithATtlDeletedByTheStoreThatWroteItIsDeletedNotExpired() throws Exception {
    // That store revokes the key's lease right after the delete: the lease is gone, yet this
    // was no expiry (Leases.revokedHere).
    String key = "kinds/own-delete/k";
    try (Store store = EtcdV3Store.open(ETCD.endpoints(), null)) {
      store.put(key, utf8("v"), LONG_TTL);
      try (Watch<KeyEvent> watch = store.watchEvents(key)) {
        next(watch);
        store.delete(key);

        assertThat(next(watch).kind()).isEqualTo(Kind.DELETED);
      }
    }
  }

  @Test
  void aKeyWithATtlDeletedByAnotherStoreIsDeletedNotExpired() throws Exception {
    String key = "kinds/other-delete/k";
    writer.put(key, utf8("v"), LONG_TTL);
    try (Store store = EtcdV3Store.open(ETCD.endpoints(), null);
        Watch<KeyEvent> watch = store.watchEvents(key)) {
      next(watch);
      store.delete(key);

      assertThat(next(watch).kind()).isEqualTo(Kind.DELETED);
    }
  }

  @Test
  void aLeaseEndingWithManyKeysIsAskedAboutOnceForAllItsKeysAndWatches() throws Exception {
    String dir = "kinds/one-lease";
    int keys = 20;
    try (TestSupport.Raw raw = new TestSupport.Raw(ETCD.endpoints().get(0))) {
      long lease = raw.lease().leaseGrant(LeaseGrantRequest.newBuilder().setTTL(2).build()).getID();
      for (int i = 0; i < keys; i++) {
        raw.kv()
            .put(
                PutRequest.newBuilder()
                    .setKey(ByteString.copyFromUtf8(dir + "/k" + i))
                    .setValue(ByteString.copyFromUtf8("v"))
                    .setLease(lease)
                    .build());
      }
      try (WatchTesting.Opened o = open(ETCD.endpoints(), null);
          Watch<KeyEvent> tree = o.store().watchTreeEvents(dir);
          Watch<KeyEvent> one = o.store().watchEvents(dir + "/k7")) {
        take(tree, keys, WatchTesting.AWAIT);
        next(one);
        int asked = o.watches().expiry().questions();

        List<KeyEvent> expiries = take(tree, keys, WatchTesting.AWAIT);
        KeyEvent single = next(one);

        assertThat(expiries).extracting(KeyEvent::kind).containsOnly(Kind.EXPIRED);
        assertThat(expiries)
            .extracting(e -> e.pair().lastIndex())
            .containsOnly(single.pair().lastIndex());
        assertThat(single.kind()).isEqualTo(Kind.EXPIRED);
        assertThat(o.watches().expiry().questions() - asked)
            .as("LeaseTimeToLive questions")
            .isEqualTo(1);
      }
    }
  }
}
