package dev.valkeyrie.etcdv2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.KeyEvent;
import dev.valkeyrie.store.StoreUnavailableException;
import dev.valkeyrie.store.WatchClosedException;
import dev.valkeyrie.store.spi.BufferedWatch;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class KeyWatchHandlerTest {

  /** Only a bound on how long an empty poll waits; nothing is timed. */
  private static final Duration TINY = Duration.ofMillis(10);

  private final BufferedWatch<KVPair> sink =
      new BufferedWatch<>(16, BufferedWatch.Overflow.DROP_OLDEST, "key 'app/x'");
  private final KeyWatchHandler<KVPair> handler =
      new KeyWatchHandler<>("app/x", sink, KeyEvent::pair);

  private static EtcdNode node(String etcdKey, String value, long index) {
    return new EtcdNode(etcdKey, value, false, index, index, 0, null);
  }

  /** What etcd sends for a deletion or expiry: the node's key and index, no value. */
  private static EtcdNode gone(String etcdKey, boolean dir, long index) {
    return new EtcdNode(etcdKey, null, dir, 1, index, 0, null);
  }

  private static EtcdResponse event(String action, EtcdNode node) {
    return new EtcdResponse(action, node, null, 1);
  }

  /** What a read of the key gives the loop. */
  private static EtcdResponse current(EtcdNode node) {
    return new EtcdResponse("get", node, null, node.modifiedIndex());
  }

  private static KVPair pair(String value, long index) {
    return new KVPair("app/x", value.getBytes(StandardCharsets.UTF_8), index);
  }

  private static KVPair empty(long index) {
    return new KVPair("app/x", null, index);
  }

  private KVPair published() throws InterruptedException {
    KVPair update = sink.poll(TINY);
    assertThat(update).as("an update was delivered").isNotNull();
    return update;
  }

  private void assertNothingPublished() throws InterruptedException {
    assertThat(sink.poll(TINY)).as("no further update").isNull();
  }

  private void startWith(String value, long index) throws InterruptedException {
    handler.snapshot(current(node("/app/x", value, index)), index + 3);
    published();
  }

  // ---- snapshots ----

  @Test
  void snapshotDeliversTheValueAtItsModifiedIndex() throws InterruptedException {
    handler.snapshot(current(node("/app/x", "v1", 5)), 9);

    assertThat(published()).isEqualTo(pair("v1", 5));
  }

  @Test
  void resyncThatFindsADeletedKeyAlreadyReportedGoneDeliversNothingMore()
      throws InterruptedException {
    startWith("v1", 5);
    handler.event(event("delete", gone("/app/x", false, 6)));
    published();

    handler.snapshot(null, 40);

    assertNothingPublished();
  }

  @Test
  void resyncWithAnUnchangedKeyDeliversNothing() throws InterruptedException {
    startWith("v1", 5);

    handler.snapshot(current(node("/app/x", "v1", 5)), 40);

    assertNothingPublished();
  }

  @Test
  void resyncWithANewerValueDeliversIt() throws InterruptedException {
    startWith("v1", 5);

    handler.snapshot(current(node("/app/x", "v2", 30)), 40);

    assertThat(published()).isEqualTo(pair("v2", 30));
  }

  @Test
  void resyncFindingTheKeyGoneDeliversAnEmptyValueOnce() throws InterruptedException {
    startWith("v1", 5);

    handler.snapshot(null, 40);
    handler.snapshot(null, 41);

    assertThat(published()).isEqualTo(empty(40));
    assertNothingPublished();
  }

  // ---- events ----

  @Test
  void setEventDeliversTheNewValue() throws InterruptedException {
    startWith("v1", 5);

    handler.event(event("set", node("/app/x", "v2", 6)));

    assertThat(published()).isEqualTo(pair("v2", 6));
  }

  @Test
  void compareAndSwapEventDeliversTheNewValue() throws InterruptedException {
    startWith("v1", 5);

    handler.event(event("compareAndSwap", node("/app/x", "v3", 7)));

    assertThat(published()).isEqualTo(pair("v3", 7));
  }

  @Test
  void deleteDeliversAnEmptyValueAtTheEventsIndex() throws InterruptedException {
    startWith("v1", 5);

    handler.event(event("delete", gone("/app/x", false, 8)));

    assertThat(published()).isEqualTo(empty(8));
  }

  @Test
  void expireDeliversAnEmptyValueAtTheEventsIndex() throws InterruptedException {
    startWith("v1", 5);

    handler.event(event("expire", gone("/app/x", false, 9)));

    assertThat(published()).isEqualTo(empty(9));
  }

  @Test
  void compareAndDeleteDeliversAnEmptyValueAtTheEventsIndex() throws InterruptedException {
    startWith("v1", 5);

    handler.event(event("compareAndDelete", gone("/app/x", false, 10)));

    assertThat(published()).isEqualTo(empty(10));
  }

  @Test
  void deleteOfAnAncestorDirectoryDeliversAnEmptyValue() throws InterruptedException {
    startWith("v1", 5);

    handler.event(event("delete", gone("/app", true, 11)));

    KVPair update = published();
    assertThat(update).isEqualTo(empty(11));
    assertThat(update.key()).isEqualTo("app/x");
  }

  @Test
  void expiryOfAnAncestorDirectoryDeliversAnEmptyValue() throws InterruptedException {
    startWith("v1", 5);

    handler.event(event("expire", gone("/app", true, 12)));

    assertThat(published()).isEqualTo(empty(12));
  }

  @Test
  void aKeyRecreatedAfterDeletionIsDeliveredAgain() throws InterruptedException {
    startWith("v1", 5);

    handler.event(event("delete", gone("/app/x", false, 8)));
    handler.event(event("create", node("/app/x", "back", 9)));

    assertThat(published()).isEqualTo(empty(8));
    assertThat(published()).isEqualTo(pair("back", 9));
  }

  @Test
  void aChangeToAnotherKeyIsIgnored() throws InterruptedException {
    startWith("v1", 5);

    handler.event(event("update", new EtcdNode("/app", null, true, 1, 13, 30, null)));

    assertNothingPublished();
  }

  // ---- failure ----

  @Test
  void failureEndsTheWatchWithItsCause() {
    StoreUnavailableException cause = new StoreUnavailableException("gone");

    handler.failed(cause);

    assertThatThrownBy(sink::take).isInstanceOf(WatchClosedException.class).hasCause(cause);
  }
}
