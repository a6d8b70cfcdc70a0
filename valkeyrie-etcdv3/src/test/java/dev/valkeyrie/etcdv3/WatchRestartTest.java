package dev.valkeyrie.etcdv3;

import static dev.valkeyrie.etcdv3.TestSupport.utf8;
import static dev.valkeyrie.etcdv3.WatchTesting.history;
import static dev.valkeyrie.etcdv3.WatchTesting.next;
import static dev.valkeyrie.etcdv3.WatchTesting.take;
import static org.assertj.core.api.Assertions.assertThat;

import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.etcd.launcher.EtcdCluster;
import dev.valkeyrie.etcd.launcher.EtcdMember;
import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.KeyEvent;
import dev.valkeyrie.store.KeyEvent.Kind;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.store.Watch;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The only member restarts or is killed and started again under a watch: the watch resumes from its
 * own revision + 1, so it neither replays what came before it (jetcd delivered a pre-watch event
 * after a restart: pitfall 18) nor misses what comes after; it never closes.
 */
class WatchRestartTest {
  @RegisterExtension
  static final EtcdClusterExtension ETCD =
      EtcdClusterExtension.of(EtcdCluster.builder().name("v3-watch-restart"));

  private static final EtcdV3Config CONFIG =
      EtcdV3Config.builder()
          .connectionTimeout(Duration.ofSeconds(1))
          .requestTimeout(Duration.ofSeconds(2))
          .build();

  @AfterEach
  void theMemberRuns() {
    EtcdMember member = ETCD.cluster().member(0);
    if (!member.isRunning()) {
      member.start();
    }
  }

  @Test
  void aRestartReplaysNothingFromBeforeTheWatch() throws Exception {
    String key = "restart/replay/k";
    EtcdMember member = ETCD.cluster().member(0);
    try (Store writer = EtcdV3Store.open(ETCD.endpoints(), null);
        Store store = EtcdV3Store.open(ETCD.endpoints(), CONFIG)) {
      writer.put(key, utf8("before-watch"));
      try (Watch<KeyEvent> watch = store.watchEvents(key)) {
        assertThat(next(watch).kind()).isEqualTo(Kind.CURRENT);

        member.stop();
        member.start();
        writer.put(key, utf8("after-restart"));

        KeyEvent event = next(watch);
        assertThat(event.kind()).isEqualTo(Kind.MODIFIED);
        assertThat(event.pair().valueAsString()).isEqualTo("after-restart");
        assertThat(watch.poll(Duration.ofMillis(500))).as("an event after the last write").isNull();
      }
    }
  }

  @Test
  void aWatchOutlivesItsOnlyMemberBeingKilledAndMissesNothingWrittenAfter() throws Exception {
    String key = "restart/killed/k";
    EtcdMember member = ETCD.cluster().member(0);
    try (Store writer = EtcdV3Store.open(ETCD.endpoints(), null);
        Store store = EtcdV3Store.open(ETCD.endpoints(), CONFIG)) {
      writer.put(key, utf8("0"));
      try (Watch<KVPair> watch = store.watch(key)) {
        long from = next(watch).lastIndex();

        member.kill();
        member.start();
        for (int i = 1; i <= 10; i++) {
          writer.put(key, utf8(Integer.toString(i)));
        }

        List<KVPair> delivered = take(watch, 10, WatchTesting.AWAIT);
        try (TestSupport.Raw raw = new TestSupport.Raw(member.clientEndpoint())) {
          assertThat(delivered).containsExactlyElementsOf(history(raw, key, from));
        }
        assertThat(watch.isClosed()).isFalse();
      }
    }
  }
}
