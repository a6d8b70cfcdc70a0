package dev.valkeyrie.etcdv2.cluster;

import static dev.valkeyrie.etcdv2.TestSupport.figure;
import static dev.valkeyrie.etcdv2.TestSupport.millisSince;
import static dev.valkeyrie.etcdv2.TestSupport.onThread;
import static dev.valkeyrie.etcdv2.TestSupport.utf8;
import static dev.valkeyrie.etcdv2.cluster.ClusterSupport.aFollower;
import static dev.valkeyrie.etcdv2.cluster.ClusterSupport.endpointsStartingWith;
import static org.assertj.core.api.Assertions.assertThat;

import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.etcd.launcher.EtcdCluster;
import dev.valkeyrie.etcd.launcher.EtcdMember;
import dev.valkeyrie.etcdv2.EtcdV2Config;
import dev.valkeyrie.etcdv2.EtcdV2Store;
import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.store.StoreException;
import dev.valkeyrie.store.Watch;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Reads and watches go on when the member a store prefers is frozen or killed: they may be sent
 * again, so they move to another member (a watch once its poll has been idle for its timeout).
 */
class ReadFailoverTest {
  @RegisterExtension
  static final EtcdClusterExtension ETCD =
      EtcdClusterExtension.of(EtcdCluster.builder().members(3).name("read-failover"));

  private static final EtcdV2Config CONFIG =
      EtcdV2Config.builder()
          .connectionTimeout(Duration.ofSeconds(1))
          .requestTimeout(Duration.ofSeconds(3))
          .watchIdleTimeout(Duration.ofSeconds(2))
          .build();

  /** What happens to the preferred member. */
  enum MemberFault {
    PAUSED {
      @Override
      void inject(EtcdMember member) {
        member.pause();
      }

      @Override
      void undo(EtcdMember member) {
        member.resume();
      }
    },
    KILLED {
      @Override
      void inject(EtcdMember member) {
        member.kill();
      }

      @Override
      void undo(EtcdMember member) {
        member.start();
      }
    };

    abstract void inject(EtcdMember member);

    abstract void undo(EtcdMember member);
  }

  @AfterEach
  void everyMemberRuns() {
    for (EtcdMember member : ETCD.cluster().members()) {
      if (member.isRunning()) {
        member.resume();
      } else {
        member.start();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(MemberFault.class)
  void readsGoOnWhenThePreferredMemberFails(MemberFault fault) throws Exception {
    EtcdCluster cluster = ETCD.cluster();
    EtcdMember preferred = aFollower(cluster);
    try (Store store = EtcdV2Store.open(endpointsStartingWith(cluster, preferred), CONFIG)) {
      store.put("read-failover/k", utf8("v"));
      assertThat(store.get("read-failover/k").valueAsString()).isEqualTo("v");

      fault.inject(preferred);
      long faultAt = System.nanoTime();
      try {
        KVPair read = readUntilAnswered(store, "read-failover/k", faultAt);
        figure(
            "read failover, preferred member %s: the first read after the fault answered"
                + " %d ms after it",
            fault, millisSince(faultAt));
        assertThat(read.valueAsString()).isEqualTo("v");
      } finally {
        fault.undo(preferred);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(MemberFault.class)
  void aWatchGoesOnWhenItsMemberFails(MemberFault fault) throws Exception {
    EtcdCluster cluster = ETCD.cluster();
    EtcdMember preferred = aFollower(cluster);
    List<String> others =
        cluster.members().stream()
            .filter(m -> m != preferred)
            .map(EtcdMember::clientEndpoint)
            .toList();
    try (Store store = EtcdV2Store.open(endpointsStartingWith(cluster, preferred), CONFIG);
        Store writer = EtcdV2Store.open(others, CONFIG)) {
      writer.put("read-failover/watched", utf8("before"));
      try (Watch<KVPair> watch = store.watch("read-failover/watched")) {
        assertThat(watch.take().valueAsString()).isEqualTo("before");
        fault.inject(preferred);
        long faultAt = System.nanoTime();
        try {
          writer.put("read-failover/watched", utf8("after"));
          CompletableFuture<KVPair> next = onThread("watch", () -> watch.take());
          KVPair update = next.get(30, TimeUnit.SECONDS);
          figure(
              "watch failover, member %s: the change written elsewhere arrived %d ms after"
                  + " the fault (watch idle timeout %d ms)",
              fault, millisSince(faultAt), CONFIG.watchIdleTimeout().toMillis());
          assertThat(update.valueAsString()).isEqualTo("after");
        } finally {
          fault.undo(preferred);
        }
      }
    }
  }

  /** Reads until one answers; each read is bounded by the request timeout. */
  private static KVPair readUntilAnswered(Store store, String key, long since) {
    StoreException last = null;
    while (millisSince(since) < 30_000) {
      try {
        return store.get(key);
      } catch (StoreException e) {
        last = e;
      }
    }
    throw new AssertionError("no read answered within 30 s of the fault", last);
  }
}
