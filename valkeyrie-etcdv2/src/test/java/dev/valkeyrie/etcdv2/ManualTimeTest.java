package dev.valkeyrie.etcdv2;

import static dev.valkeyrie.etcdv2.TestSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.valkeyrie.etcd.faults.FaultProxy;
import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.etcd.launcher.EtcdCluster;
import dev.valkeyrie.etcd.launcher.EtcdMember;
import dev.valkeyrie.etcd.launcher.LoggedRequest;
import dev.valkeyrie.store.ConnectionState;
import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.Lease;
import dev.valkeyrie.store.LockOptions;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.store.StoreUnavailableException;
import dev.valkeyrie.store.Watch;
import dev.valkeyrie.testsuite.time.ManualClock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the store does when time passes, on a manual clock: the test moves time, and the store's
 * timer runs what falls due, in the test's thread. Requests still go to a real etcd.
 */
class ManualTimeTest {
  @RegisterExtension
  static final EtcdClusterExtension ETCD =
      EtcdClusterExtension.of(
          EtcdCluster.builder().name("manual-time").extraArgs("--log-level=debug"));

  /** Long enough that nothing times out in real time while the clock stands still. */
  private static final EtcdV2Config CONFIG =
      EtcdV2Config.builder()
          .requestTimeout(Duration.ofSeconds(20))
          .watchIdleTimeout(Duration.ofSeconds(60))
          .connectionLossTimeout(Duration.ofSeconds(20))
          .build();

  /** How long a check that nothing happens watches in real time. */
  private static final Duration QUIET = Duration.ofMillis(500);

  private final ManualClock clock = new ManualClock();
  private FaultProxy proxy;

  @AfterEach
  void closeProxy() {
    if (proxy != null) {
      proxy.close();
    }
  }

  private Store open(List<String> endpoints) {
    return EtcdV2Store.open(endpoints, CONFIG, clock, clock);
  }

  private static EtcdMember member() {
    return ETCD.cluster().member(0);
  }

  @Test
  void aHeldLockIsRenewedAtAThirdOfItsTtl() throws Exception {
    String key = "manual-time/lock";
    try (Store store = open(ETCD.endpoints())) {
      Lease lease =
          store.newLock(key, LockOptions.builder().ttl(Duration.ofSeconds(30)).build()).lock();
      Instant lockedAt = Instant.now();

      clock.advance(Duration.ofMillis(9_900));
      await("no renewal before a third of the TTL")
          .during(QUIET)
          .atMost(QUIET.plusSeconds(5))
          .until(() -> renewals(key, lockedAt) == 0);

      clock.advance(Duration.ofMillis(100));
      await("the renewal at a third of the TTL")
          .atMost(Duration.ofSeconds(10))
          .until(() -> renewals(key, lockedAt) == 1);
      lease.close();
    }
  }

  @Test
  void anIdleWatchPollsAgainOnlyOnceItsIdleTimeoutHasPassed() throws Exception {
    String key = "manual-time/idle";
    try (Store store = open(ETCD.endpoints())) {
      store.put(key, utf8("quiet"));
      Instant since = Instant.now();
      try (Watch<KVPair> watch = store.watch(key)) {
        assertThat(watch.take().valueAsString()).isEqualTo("quiet");
        await("the first poll").atMost(Duration.ofSeconds(10)).until(() -> polls(key, since) == 1);

        clock.advance(Duration.ofSeconds(59));
        await("the same poll until the idle timeout")
            .during(QUIET)
            .atMost(QUIET.plusSeconds(5))
            .until(() -> polls(key, since) == 1);

        clock.advance(Duration.ofSeconds(1));
        await("a new poll after the idle timeout")
            .atMost(Duration.ofSeconds(10))
            .until(() -> polls(key, since) == 2);
        assertThat(watch.isClosed()).isFalse();
      }
    }
  }

  @Test
  void aWatchWhosePollFailsPollsAgainOnlyAfterItsBackoff() throws Exception {
    String key = "manual-time/backoff";
    proxy = FaultProxy.start(member().clientEndpoint());
    try (Store store = open(List.of(proxy.endpoint()))) {
      store.put(key, utf8("v"));
      try (Watch<KVPair> watch = store.watch(key)) {
        assertThat(watch.take().valueAsString()).isEqualTo("v");
        await("the poll is open")
            .atMost(Duration.ofSeconds(10))
            .until(() -> proxy.openConnections() >= 1);
        long before = proxy.acceptedConnections();

        proxy.cutAll(); // the poll fails; the next one waits for the backoff (25 to 50 ms)
        await("no new poll while the clock stands still")
            .during(QUIET)
            .atMost(QUIET.plusSeconds(5))
            .until(() -> proxy.acceptedConnections() == before);

        clock.advance(Duration.ofMillis(50));
        await("the poll after the backoff")
            .atMost(Duration.ofSeconds(10))
            .until(() -> proxy.acceptedConnections() > before);
        assertThat(watch.isClosed()).isFalse();
      }
    }
  }

  @Test
  void aStoreThatStaysUnreachableIsLostAfterTheLossTimeout() throws Exception {
    List<ConnectionState> states = new CopyOnWriteArrayList<>();
    try (Store store = open(List.of("127.0.0.1:" + closedPort()))) {
      store.addConnectionStateListener(states::add, Runnable::run);
      assertThatThrownBy(() -> store.get("manual-time/any"))
          .isInstanceOf(StoreUnavailableException.class);
      assertThat(states).containsExactly(ConnectionState.SUSPENDED);

      clock.advance(Duration.ofSeconds(19));
      assertThat(store.connectionState()).isEqualTo(ConnectionState.SUSPENDED);

      clock.advance(Duration.ofSeconds(1));
      assertThat(states).containsExactly(ConnectionState.SUSPENDED, ConnectionState.LOST);
    }
  }

  private static long renewals(String key, Instant since) {
    return logged("PUT", "/v2/keys/" + key + "___lock", since);
  }

  private static long polls(String key, Instant since) {
    return member().loggedRequests().stream()
        .filter(r -> r.is("GET", "/v2/keys/" + key) && r.uri().contains("wait=true"))
        .filter(r -> !r.time().isBefore(since.minusMillis(50)))
        .count();
  }

  private static long logged(String method, String path, Instant since) {
    return member().loggedRequests().stream()
        .filter(r -> r.is(method, path))
        .map(LoggedRequest::time)
        .filter(t -> t.isAfter(since))
        .count();
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
