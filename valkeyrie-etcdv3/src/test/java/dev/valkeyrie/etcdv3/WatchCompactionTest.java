package dev.valkeyrie.etcdv3;

import static dev.valkeyrie.etcdv3.WatchTesting.compactAll;
import static dev.valkeyrie.etcdv3.WatchTesting.next;
import static dev.valkeyrie.etcdv3.WatchTesting.open;
import static dev.valkeyrie.etcdv3.WatchTesting.pollUntil;
import static dev.valkeyrie.etcdv3.WatchTesting.take;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.valkeyrie.etcd.faults.Fault;
import dev.valkeyrie.etcd.faults.FaultProxy;
import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.etcd.launcher.EtcdCluster;
import dev.valkeyrie.etcdv3.rpc.PutRequest;
import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.KeyEvent;
import dev.valkeyrie.store.KeyEvent.Kind;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.store.Watch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A watch whose next revision etcd has compacted away (etcd cancels it in-band with {@code
 * compact_revision}: pitfall 20) reads its key or directory again, delivers what changed (CURRENT
 * for what exists, DELETED for a known key that is gone), and continues from that read's revision +
 * 1, without looping on the compaction.
 */
class WatchCompactionTest {
  @RegisterExtension
  static final EtcdClusterExtension ETCD =
      EtcdClusterExtension.of(EtcdCluster.builder().name("v3-watch-compaction"));

  private static TestSupport.Raw raw;

  @BeforeAll
  static void openRaw() {
    raw = new TestSupport.Raw(ETCD.endpoints().get(0));
  }

  @AfterAll
  static void closeRaw() throws InterruptedException {
    raw.close();
  }

  private static void put(String key, String value) {
    raw.kv()
        .put(
            PutRequest.newBuilder()
                .setKey(ByteString.copyFromUtf8(key))
                .setValue(ByteString.copyFromUtf8(value))
                .build());
  }

  /** Runs {@code writes} once, between a watch's first read and its creation. */
  private static Watches.StartHook once(Runnable writes) {
    AtomicBoolean done = new AtomicBoolean();
    return (key, revision) -> {
      if (done.compareAndSet(false, true)) {
        writes.run();
      }
    };
  }

  @Test
  void aKeyWatchCompactedPastDeliversTheCurrentValueOnceAndContinues() throws Exception {
    String key = "compaction/key/k";
    put(key, "v0");
    try (WatchTesting.Opened o =
            open(
                ETCD.endpoints(),
                null,
                once(
                    () -> {
                      put(key, "v1");
                      put(key, "v2");
                      compactAll(raw);
                    }));
        Watch<KeyEvent> watch = o.store().watchEvents(key)) {
      assertThat(next(watch).pair().valueAsString()).isEqualTo("v0");

      KeyEvent reread = next(watch);
      assertThat(reread.kind()).isEqualTo(Kind.CURRENT);
      assertThat(reread.pair()).isEqualTo(o.store().get(key));
      put(key, "v3");
      KeyEvent after = next(watch);
      assertThat(after.kind()).isEqualTo(Kind.MODIFIED);
      assertThat(after.pair().valueAsString()).isEqualTo("v3");
      assertThat(watch.poll(Duration.ofMillis(300))).isNull();
      assertThat(o.stream().createsSent()).as("creations: no loop on the compaction").isEqualTo(2);
    }
  }

  @Test
  void aTreeWatchCompactedPastReportsWhatChangedAndTheKeysThatWentAway() throws Exception {
    String dir = "compaction/tree";
    put(dir + "/a", "a");
    put(dir + "/b", "b");
    put(dir + "/c", "c");
    try (WatchTesting.Opened o =
            open(
                ETCD.endpoints(),
                null,
                once(
                    () -> {
                      put(dir + "/a", "a2");
                      raw.kv()
                          .deleteRange(
                              dev.valkeyrie.etcdv3.rpc.DeleteRangeRequest.newBuilder()
                                  .setKey(ByteString.copyFromUtf8(dir + "/b"))
                                  .build());
                      put(dir + "/d", "d");
                      compactAll(raw);
                    }));
        Watch<KeyEvent> watch = o.store().watchTreeEvents(dir)) {
      assertThat(take(watch, 3, WatchTesting.AWAIT))
          .extracting(KeyEvent::kind)
          .containsOnly(Kind.CURRENT);

      List<KeyEvent> changes = take(watch, 3, WatchTesting.AWAIT);
      assertThat(changes)
          .extracting(e -> e.kind() + " " + e.key() + "=" + e.pair().valueAsString())
          .containsExactly(
              "CURRENT " + dir + "/a=a2", "DELETED " + dir + "/b=", "CURRENT " + dir + "/d=d");
      assertThat(watch.poll(Duration.ofMillis(300)))
          .as("an event for the unchanged key c")
          .isNull();
      put(dir + "/e", "e");
      assertThat(next(watch).kind()).isEqualTo(Kind.CREATED);
    }
  }

  @Test
  void aSnapshotWatchCompactedPastSettlesOnTheListing() throws Exception {
    String dir = "compaction/snapshot";
    put(dir + "/a", "a");
    try (WatchTesting.Opened o =
            open(
                ETCD.endpoints(),
                null,
                once(
                    () -> {
                      put(dir + "/b", "b");
                      compactAll(raw);
                    }));
        Watch<List<KVPair>> watch = o.store().watchTree(dir)) {
      assertThat(next(watch)).hasSize(1);

      assertThat(pollUntil(watch, l -> l.size() == 2)).isEqualTo(o.store().list(dir));
    }
  }

  @Test
  void aRunningWatchCutOffWhileEtcdCompactsEndsOnTheLatestValueAndGoesOn() throws Exception {
    String key = "compaction/running/k";
    put(key, "v0");
    EtcdV3Config config = EtcdV3Config.builder().requestTimeout(Duration.ofSeconds(2)).build();
    try (FaultProxy proxy = FaultProxy.start(ETCD.endpoints().get(0));
        Store store = EtcdV3Store.open(List.of("http://" + proxy.endpoint()), config);
        Watch<KVPair> watch = store.watch(key)) {
      List<KVPair> seen = new ArrayList<>();
      seen.add(next(watch));
      proxy.inject(Fault.blackhole()); // the watch hears nothing of what follows
      for (int i = 1; i <= 5; i++) {
        put(key, "v" + i);
      }
      compactAll(raw);
      proxy.cutAll(); // what etcd sent meanwhile is lost with the connection
      proxy.heal();

      pollUntil(watch, p -> p.valueAsString().equals("v5"), WatchTesting.AWAIT, seen);
      put(key, "v6");
      pollUntil(watch, p -> p.valueAsString().equals("v6"), WatchTesting.AWAIT, seen);
      WatchTesting.assertStrictlyIncreasing(seen);
      assertThat(watch.isClosed()).isFalse();
    }
  }
}
