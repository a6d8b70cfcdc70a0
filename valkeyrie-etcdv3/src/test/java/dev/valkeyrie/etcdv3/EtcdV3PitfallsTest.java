package dev.valkeyrie.etcdv3;

import static dev.valkeyrie.etcdv3.TestSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.valkeyrie.etcd.faults.FaultProxy;
import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.etcdv3.rpc.LeaseLeasesRequest;
import dev.valkeyrie.etcdv3.rpc.LeaseTimeToLiveRequest;
import dev.valkeyrie.etcdv3.rpc.LeaseTimeToLiveResponse;
import dev.valkeyrie.etcdv3.rpc.RangeRequest;
import dev.valkeyrie.etcdv3.rpc.RangeResponse;
import dev.valkeyrie.etcdv3.rpc.mvcc.KeyValue;
import dev.valkeyrie.store.CallNotSupportedException;
import dev.valkeyrie.store.InvalidValueException;
import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.KeyExistsException;
import dev.valkeyrie.store.KeyModifiedException;
import dev.valkeyrie.store.KeyNotFoundException;
import dev.valkeyrie.store.KeyTypeException;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.store.Valkeyrie;
import dev.valkeyrie.store.WriteOptions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The etcd v3 pitfalls of the reference, one by one, shown handled against a real etcd 3.4:
 * nothing silently changed or lost, the Go backend's bugs not repeated, and what etcd would refuse
 * refused before sending with a clear message.
 */
class EtcdV3PitfallsTest {
  @RegisterExtension static final EtcdClusterExtension ETCD = EtcdClusterExtension.members(1);

  private EtcdV3Store store;
  private TestSupport.Raw raw;
  private String prefix;

  @BeforeEach
  void open(TestInfo test) {
    store = EtcdV3Store.open(ETCD.endpoints(), null);
    raw = new TestSupport.Raw(ETCD.endpoints().get(0));
    prefix = "pitfalls/" + test.getTestMethod().orElseThrow().getName();
  }

  @AfterEach
  void close() throws InterruptedException {
    store.close();
    raw.close();
  }

  private String key(String name) {
    return prefix + "/" + name;
  }

  private KeyValue rawGet(String key) {
    RangeResponse response = raw.kv().range(RangeRequest.newBuilder()
        .setKey(ByteString.copyFromUtf8(key)).build());
    assertThat(response.getKvsCount()).as("raw read of " + key).isEqualTo(1);
    return response.getKvs(0);
  }

  private long leaseCount() {
    return raw.lease().leaseLeases(LeaseLeasesRequest.getDefaultInstance()).getLeasesCount();
  }

  // Pitfall 2 (and the Go backend's List/DeleteTree bug): a prefix is raw bytes.

  @Test
  void listAndDeleteTreeOfDirNeverTouchDirx() {
    store.put(key("dir/a"), utf8("a"));
    store.put(key("dirx/y"), utf8("y"));
    store.put(key("directory"), utf8("sibling"));
    store.put(key("dir"), utf8("the key dir itself"));

    assertThat(store.list(key("dir"))).extracting(KVPair::key).containsExactly(key("dir/a"));

    store.deleteTree(key("dir"));

    assertThat(store.exists(key("dir"))).isFalse();
    assertThat(store.get(key("dirx/y")).valueAsString()).isEqualTo("y");
    assertThat(store.get(key("directory")).valueAsString()).isEqualTo("sibling");
  }

  @Test
  void keysAreStoredWithoutTheLeadingSlashAsTheirUtf8Bytes() {
    store.put("/" + key("été/a b?c#d"), utf8("v"));

    assertThat(rawGet(key("été/a b?c#d")).getValue().toStringUtf8()).isEqualTo("v");
  }

  // Pitfalls 3 to 6 (and the Go backend's AtomicDelete): failed compares told apart.

  @Test
  void aFailedSwapTellsAbsentFromModified() {
    String k = key("k");
    KVPair first = store.atomicPut(k, utf8("1"), null, null);
    assertThatThrownBy(() -> store.atomicPut(k, utf8("again"), null, null))
        .isInstanceOf(KeyExistsException.class).hasMessageContaining(k);
    KVPair second = store.atomicPut(k, utf8("2"), first, null);

    assertThatThrownBy(() -> store.atomicPut(k, utf8("3"), first, null))
        .isInstanceOf(KeyModifiedException.class).hasMessageContaining(k);
    assertThatThrownBy(() -> store.atomicDelete(k, first))
        .isInstanceOf(KeyModifiedException.class).hasMessageContaining(k);

    long deletedAt = store.atomicDelete(k, second);
    assertThat(deletedAt).isGreaterThan(second.lastIndex());
    assertThatThrownBy(() -> store.atomicPut(k, utf8("4"), second, null))
        .isInstanceOf(KeyNotFoundException.class);
    assertThatThrownBy(() -> store.atomicDelete(k, second))
        .isInstanceOf(KeyNotFoundException.class);
  }

  @Test
  void aSwapAgainstARecreatedKeyFailsAlthoughItsVersionMatches() {
    // version restarts at 1 on re-create; mod_revision never repeats (no ABA).
    String k = key("k");
    KVPair original = store.atomicPut(k, utf8("v"), null, null);
    store.delete(k);
    store.put(k, utf8("v"));

    assertThatThrownBy(() -> store.atomicPut(k, utf8("swapped"), original, null))
        .isInstanceOf(KeyModifiedException.class);
  }

  @Test
  void aPairWithoutAnIndexIsRefusedRatherThanTakenForAbsent() {
    String k = key("k");
    store.put(k, utf8("v"));

    assertThatThrownBy(() -> store.atomicPut(k, utf8("x"), new KVPair(k, utf8("v"), 0), null))
        .isInstanceOf(InvalidValueException.class).hasMessageContaining("lastIndex");
    assertThat(store.get(k).valueAsString()).isEqualTo("v");
  }

  @Test
  void theIndexOfAPutIsItsModRevision() {
    String k = key("k");
    KVPair written = store.atomicPut(k, utf8("v"), null, null);

    assertThat(rawGet(k).getModRevision()).isEqualTo(written.lastIndex());
    assertThat(store.get(k).lastIndex()).isEqualTo(written.lastIndex());
  }

  // Directories on a flat keyspace.

  @Test
  void deleteRefusesAKeyWithKeysBelowItAndKeepsEverything() {
    store.put(key("d"), utf8("value of d"));
    store.put(key("d/child"), utf8("c"));

    assertThatThrownBy(() -> store.delete(key("d"))).isInstanceOf(KeyTypeException.class)
        .hasMessageContaining("deleteTree");
    assertThat(store.get(key("d")).valueAsString()).isEqualTo("value of d");
    assertThat(store.get(key("d/child")).valueAsString()).isEqualTo("c");
  }

  @Test
  void putWithIsDirNeverOverwritesAValue() {
    store.put(key("d"), utf8("precious"));

    store.put(key("d"), new byte[0], WriteOptions.builder().isDir(true).build());

    assertThat(store.get(key("d")).valueAsString()).isEqualTo("precious");
  }

  @Test
  void deleteTreeIsOneRevision() {
    for (int i = 0; i < 20; i++) {
      store.put(key("t/k" + i), utf8("v"));
    }
    long before = store.atomicPut(key("marker-before"), utf8("m"), null, null).lastIndex();

    store.deleteTree(key("t"));

    long after = store.atomicPut(key("marker-after"), utf8("m"), null, null).lastIndex();
    assertThat(after - before).as("revisions between the markers").isEqualTo(2);
  }

  @Test
  void listLeavesOutLockSideKeysButNotUserKeysThatMerelyContainTheSuffix() {
    store.put(key("d/plain"), utf8("v"));
    store.put(key("d/my___lock"), utf8("a user key"));
    store.put(key("d/lk___lock/3ceea23388d491d8"), utf8("a lock holder"));

    assertThat(store.list(key("d"))).extracting(KVPair::key)
        .containsExactly(key("d/my___lock"), key("d/plain"));
  }

  @Test
  void aLargeListingIsReadInPagesAtOneRevision() {
    int count = KeyValueOperations.PAGE * 2 + 7;
    for (int i = 0; i < count; i++) {
      store.put(key(String.format("big/%05d", i)), utf8("v" + i));
    }

    List<KVPair> listing = store.list(key("big"));

    assertThat(listing).hasSize(count);
    assertThat(listing.get(count - 1).valueAsString()).isEqualTo("v" + (count - 1));
  }

  // Values are bytes.

  @Test
  void everyByteSequenceRoundTrips() {
    byte[] value = new byte[256 * 4];
    for (int i = 0; i < value.length; i++) {
      value[i] = (byte) (i * 7);
    }
    store.put(key("binary"), value);

    assertThat(store.get(key("binary")).value()).isEqualTo(value);
    assertThat(rawGet(key("binary")).getValue().toByteArray()).isEqualTo(value);
  }

  // Pitfall 8: limits refused before sending.

  @Test
  void aTooLargeValueIsRefusedBeforeAnythingIsSent() {
    try (FaultProxy proxy = FaultProxy.start(ETCD.endpoints().get(0));
        Store proxied = EtcdV3Store.open(List.of(proxy.endpoint()), null)) {
      byte[] tooLarge = new byte[EtcdV3Config.DEFAULT_MAX_REQUEST_BYTES];

      assertThatThrownBy(() -> proxied.put(key("huge"), tooLarge))
          .isInstanceOf(InvalidValueException.class)
          .hasMessageContaining(key("huge"))
          .hasMessageContaining("max-request-bytes");
      assertThat(proxy.bytesToServer()).as("bytes sent to etcd").isZero();
    }
    assertThat(store.exists(key("huge"))).isFalse();
  }

  @Test
  void aValueJustUnderTheLimitIsStored() {
    byte[] large = new byte[EtcdV3Config.DEFAULT_MAX_REQUEST_BYTES - 1024];
    store.put(key("large"), large);

    assertThat(store.get(key("large")).value()).hasSize(large.length);
  }

  // Pitfall 11: TTLs under 2 s become 2 s, rounded up to whole seconds.

  @Test
  void aSubSecondTtlIsGrantedAsEtcdsMinimum() {
    store.put(key("short"), utf8("v"), WriteOptions.builder().ttl(Duration.ofMillis(300)).build());

    long lease = rawGet(key("short")).getLease();
    LeaseTimeToLiveResponse ttl = raw.lease().leaseTimeToLive(
        LeaseTimeToLiveRequest.newBuilder().setID(lease).build());
    assertThat(ttl.getGrantedTTL()).isEqualTo(Leases.MIN_TTL_SECONDS);
    assertThat(Leases.ttlSeconds(Duration.ofMillis(2001), "k")).isEqualTo(3);
  }

  // Pitfall 7: a put without a TTL clears the TTL (and the lease is not left behind).

  @Test
  void aPutWithoutTtlDetachesTheKeyFromItsLeaseAndRevokesIt() {
    String k = key("k");
    store.put(k, utf8("v1"), WriteOptions.builder().ttl(Duration.ofMinutes(5)).build());
    long lease = rawGet(k).getLease();
    assertThat(lease).isNotZero();

    store.put(k, utf8("v2"));

    assertThat(rawGet(k).getLease()).isZero();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(raw.lease()
        .leaseTimeToLive(LeaseTimeToLiveRequest.newBuilder().setID(lease).build()).getTTL())
        .as("the old lease's TTL (-1: gone)").isEqualTo(-1));
  }

  // No lease leaked per write (the Go backend grants one per put and per failed CAS).

  @Test
  void rewritingAKeyWithATtlLeavesOneLease() {
    long before = leaseCount();
    WriteOptions ttl = WriteOptions.builder().ttl(Duration.ofMinutes(5)).build();
    for (int i = 0; i < 10; i++) {
      store.put(key("k"), utf8("v" + i), ttl);
    }
    KVPair current = store.get(key("k"));
    store.atomicPut(key("k"), utf8("swapped"), current, ttl);
    assertThatThrownBy(() -> store.atomicPut(key("k"), utf8("stale"), current, ttl))
        .isInstanceOf(KeyModifiedException.class);
    assertThatThrownBy(() -> store.atomicPut(key("k"), utf8("exists"), null, ttl))
        .isInstanceOf(KeyExistsException.class);

    await().atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(leaseCount() - before).isEqualTo(1));

    store.delete(key("k"));
    await().atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(leaseCount() - before).isZero());
    assertThat(store.keyValues().ownedLeases()).isZero();
  }

  @Test
  void aDirectoryWithATtlIsRefusedAsALeaseCannotRemoveTheKeysBelowIt() {
    assertThatThrownBy(() -> store.put(key("d"), new byte[0],
            WriteOptions.builder().isDir(true).ttl(Duration.ofSeconds(10)).build()))
        .isInstanceOf(CallNotSupportedException.class);
  }

  // The backend is found by name.

  @Test
  void valkeyrieOpensTheBackendByNameWithDefaults() {
    try (Store byName = Valkeyrie.newStore("etcdv3", ETCD.endpoints(), null)) {
      byName.put(key("by-name"), utf8("v"));
      assertThat(store.get(key("by-name")).valueAsString()).isEqualTo("v");
    }
    assertThat(Valkeyrie.backends()).contains(EtcdV3Store.NAME);
  }
}
