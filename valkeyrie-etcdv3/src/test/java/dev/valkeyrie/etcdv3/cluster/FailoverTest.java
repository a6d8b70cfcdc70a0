package dev.valkeyrie.etcdv3.cluster;

import static dev.valkeyrie.etcdv3.cluster.ClusterSupport.aFollower;
import static dev.valkeyrie.etcdv3.cluster.ClusterSupport.endpointsStartingWith;
import static dev.valkeyrie.etcdv3.cluster.ClusterSupport.figure;
import static dev.valkeyrie.etcdv3.cluster.ClusterSupport.millisSince;
import static dev.valkeyrie.etcdv3.cluster.ClusterSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.etcd.launcher.EtcdCluster;
import dev.valkeyrie.etcd.launcher.EtcdMember;
import dev.valkeyrie.etcdv3.EtcdV3Config;
import dev.valkeyrie.etcdv3.EtcdV3Store;
import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.KeyModifiedException;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.store.StoreException;
import dev.valkeyrie.store.StoreUnavailableException;
import dev.valkeyrie.store.WriteOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A three-member cluster whose members are paused (SIGSTOP: a frozen member with open TCP
 * connections) and killed: reads move on within the request timeout; a write moves on if it was
 * not sent, and otherwise reports an unknown outcome, never a false one; writes continue after
 * the leader is killed; a kept-alive key survives the loss of the member its keep-alive stream
 * was on.
 */
class FailoverTest {
  @RegisterExtension
  static final EtcdClusterExtension ETCD =
      EtcdClusterExtension.of(EtcdCluster.builder().members(3).name("v3-failover"));

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);
  private static final Duration MARGIN = Duration.ofSeconds(2);

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

  private static Store open(List<String> endpoints) {
    return EtcdV3Store.open(endpoints, EtcdV3Config.builder()
        .connectionTimeout(Duration.ofSeconds(1)).requestTimeout(REQUEST_TIMEOUT).build());
  }

  @Test
  void readsMoveOffAPausedMemberWithinTheTimeout() {
    EtcdCluster cluster = ETCD.cluster();
    EtcdMember follower = aFollower(cluster);
    try (Store store = open(endpointsStartingWith(cluster, follower))) {
      store.put("failover/read", utf8("v"));
      follower.pause();
      long start = System.nanoTime();
      assertThat(store.get("failover/read").valueAsString()).isEqualTo("v");
      long took = millisSince(start);
      figure("v3 read with its first member paused: %d ms (timeout %d ms)", took,
          REQUEST_TIMEOUT.toMillis());
      assertThat(took).isLessThan(REQUEST_TIMEOUT.plus(MARGIN).toMillis());
    }
  }

  @Test
  void writesToAPausedMemberSucceedElsewhereOrReportAnUnknownOutcome() {
    EtcdCluster cluster = ETCD.cluster();
    EtcdMember follower = aFollower(cluster);
    List<String> endpoints = endpointsStartingWith(cluster, follower);
    int unknown = 0;
    int succeeded = 0;
    List<String> written = new ArrayList<>();
    try (Store warm = open(endpoints); Store cold = open(endpoints)) {
      warm.exists("failover/warm-up"); // a live connection to the member before it freezes
      follower.pause();
      // A store that never connected: the frozen member accepts TCP but never sends HTTP/2
      // settings, so the write is not sent there and moves on.
      long start = System.nanoTime();
      cold.put("failover/cold", utf8("v"));
      figure("v3 write, first member paused, no connection yet: moved on in %d ms",
          millisSince(start));
      for (int i = 0; i < 5; i++) {
        String key = "failover/warm-" + i;
        start = System.nanoTime();
        try {
          warm.put(key, utf8("v"));
          succeeded++;
          written.add(key);
        } catch (StoreUnavailableException e) {
          assertThat(e.outcomeUnknown()).as(e.getMessage()).isTrue();
          unknown++;
        }
        assertThat(millisSince(start)).isLessThan(REQUEST_TIMEOUT.plus(MARGIN).toMillis());
      }
      figure("v3 writes with a live connection to a paused member: %d succeeded, %d unknown",
          succeeded, unknown);
      assertThat(succeeded).as("writes after the member was passed over").isPositive();
      follower.resume();
      for (String key : written) {
        assertThat(warm.get(key).valueAsString()).isEqualTo("v");
      }
      assertThat(warm.get("failover/cold").valueAsString()).isEqualTo("v");
    }
  }

  @Test
  void atomicIncrementsGoOnWhenTheLeaderIsKilledAndNoneIsLostOrDoubled() throws Exception {
    EtcdCluster cluster = ETCD.cluster();
    String counter = "failover/counter-" + System.nanoTime();
    AtomicInteger succeeded = new AtomicInteger();
    AtomicInteger unknown = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    List<Throwable> unexpected = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (Store store = open(cluster.clientEndpoints())) {
      store.atomicPut(counter, utf8("0"), null, null);
      Thread writer = new Thread(() -> {
        while (!stop.get()) {
          try {
            KVPair current = store.get(counter);
            int next = Integer.parseInt(current.valueAsString()) + 1;
            store.atomicPut(counter, utf8(Integer.toString(next)), current, null);
            succeeded.incrementAndGet();
          } catch (KeyModifiedException e) {
            // An increment whose outcome was unknown was applied after all: read again.
          } catch (StoreUnavailableException e) {
            if (e.outcomeUnknown()) {
              unknown.incrementAndGet();
            }
          } catch (StoreException e) {
            unexpected.add(e);
          }
        }
      }, "test-incrementer");
      writer.start();
      await().atMost(Duration.ofSeconds(30)).until(() -> succeeded.get() >= 20);
      EtcdMember leader = cluster.leader();
      long killedAt = System.nanoTime();
      leader.kill();
      int before = succeeded.get();
      await().atMost(Duration.ofSeconds(30)).until(() -> succeeded.get() >= before + 20);
      figure("v3 increments resumed %d ms after the leader was killed", millisSince(killedAt));
      stop.set(true);
      writer.join(REQUEST_TIMEOUT.plus(MARGIN).toMillis() * 2);
      int value = Integer.parseInt(store.get(counter).valueAsString());
      figure("v3 leader kill under CAS increments: %d succeeded, %d unknown, counter %d",
          succeeded.get(), unknown.get(), value);
      assertThat(unexpected).isEmpty();
      assertThat(value).isBetween(succeeded.get(), succeeded.get() + unknown.get());
    }
  }

  @Test
  void aKeptAliveKeySurvivesTheLossOfItsKeepAliveStreamsMember() {
    EtcdCluster cluster = ETCD.cluster();
    EtcdMember follower = aFollower(cluster);
    Duration ttl = Duration.ofSeconds(3);
    try (Store store = open(endpointsStartingWith(cluster, follower));
        Store observer = open(cluster.clientEndpoints())) {
      store.put("failover/kept", utf8("registered"),
          WriteOptions.builder().ttl(ttl).keepAlive(true).build());
      follower.kill();
      observer.put("failover/marker", utf8("not kept"), WriteOptions.builder().ttl(ttl).build());
      await().atMost(ttl.plusSeconds(15)).until(() -> !observer.exists("failover/marker"));
      assertThat(observer.get("failover/kept").valueAsString()).isEqualTo("registered");
    }
  }
}
