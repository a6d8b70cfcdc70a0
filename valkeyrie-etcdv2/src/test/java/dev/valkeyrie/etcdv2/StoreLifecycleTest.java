package dev.valkeyrie.etcdv2;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.store.InvalidConfigurationException;
import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.Lease;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.store.StoreClosedException;
import dev.valkeyrie.store.UnknownBackendException;
import dev.valkeyrie.store.Valkeyrie;
import dev.valkeyrie.store.Watch;
import dev.valkeyrie.store.WatchClosedException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Opening through the ServiceLoader, and what close() leaves behind: nothing. */
class StoreLifecycleTest {
  @RegisterExtension static final EtcdClusterExtension ETCD = EtcdClusterExtension.members(1);

  @Test
  void backendIsFoundByName() {
    assertThat(Valkeyrie.backends()).contains(EtcdV2Store.NAME);
    try (Store store = Valkeyrie.newStore("etcdv2", ETCD.endpoints(), null)) {
      store.put("lifecycle/provider", "v".getBytes(UTF_8));
      assertThat(store.get("lifecycle/provider").valueAsString()).isEqualTo("v");
    }
  }

  @Test
  void unknownBackendNamesTheAvailableOnes() {
    assertThatThrownBy(() -> Valkeyrie.newStore("zookeeper", ETCD.endpoints(), null))
        .isInstanceOf(UnknownBackendException.class)
        .hasMessageContaining("zookeeper")
        .hasMessageContaining("etcdv2");
  }

  @Test
  void foreignConfigTypeIsRefused() {
    assertThatThrownBy(
            () ->
                Valkeyrie.newStore(
                    "etcdv2", ETCD.endpoints(), new dev.valkeyrie.store.StoreConfig() {}))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("EtcdV2Config");
  }

  @Test
  void configToStringNeverShowsThePassword() {
    EtcdV2Config config = EtcdV2Config.builder().username("alice").password("s3cret!").build();

    assertThat(config.toString()).contains("alice").doesNotContain("s3cret!");
  }

  @Test
  void closeStopsEveryThreadAndConnection() throws Exception {
    int port = URI.create(ETCD.endpoints().get(0)).getPort();
    long before = clientConnections(port); // etcd's own gateway and the launcher's probes
    Store store = EtcdV2Store.open(ETCD.endpoints(), null);
    store.put("lifecycle/threads/k", "v".getBytes(UTF_8));
    Watch<KVPair> watch = store.watch("lifecycle/threads/k");
    Watch<List<KVPair>> tree = store.watchTree("lifecycle/threads");
    watch.take();
    tree.take();
    Lease lease = store.newLock("lifecycle/threads/lock", null).lock();
    assertThat(storeThreads()).isNotEmpty();
    assertThat(clientConnections(port)).isGreaterThan(before);

    store.close();

    assertThat(storeThreads()).isEmpty();
    assertThat(lease.released()).isDone();
    assertThatThrownBy(watch::take)
        .isInstanceOf(WatchClosedException.class)
        .hasCauseInstanceOf(StoreClosedException.class);
    // Updates queued before the close can still be read; then the watch reports its end.
    assertThatThrownBy(() -> drain(tree)).isInstanceOf(WatchClosedException.class);
    await().atMost(Duration.ofSeconds(10)).until(() -> clientConnections(port) <= before);
  }

  @Test
  void closeIsIdempotentAndLaterCallsFailClearly() {
    Store store = EtcdV2Store.open(ETCD.endpoints(), null);
    store.close();
    store.close();

    assertThatThrownBy(() -> store.get("k"))
        .isInstanceOf(StoreClosedException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(() -> store.newLock("k", null)).isInstanceOf(StoreClosedException.class);
  }

  @Test
  void closeReleasesHeldLocksAtOnce() throws InterruptedException {
    Store holder = EtcdV2Store.open(ETCD.endpoints(), null);
    holder.newLock("lifecycle/release", null).lock(); // default TTL 20 s
    holder.close();

    try (Store other = EtcdV2Store.open(ETCD.endpoints(), null)) {
      // Well under the 20 s TTL: the lock was released, not left to expire.
      assertThat(other.newLock("lifecycle/release", null).tryLock(Duration.ofSeconds(5)))
          .isPresent();
    }
  }

  private static void drain(Watch<?> watch) throws InterruptedException {
    while (true) {
      watch.take();
    }
  }

  private static List<String> storeThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(name -> name.startsWith("valkeyrie-etcdv2"))
        .toList();
  }

  /**
   * Established TCP connections to the etcd client port, from /proc/net/tcp and tcp6 (Java's
   * sockets are dual-stack, so its IPv4 connections are listed as IPv6).
   */
  private static long clientConnections(int port) throws IOException {
    String remote = String.format(":%04X", port);
    long count = 0;
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      try (var lines = Files.lines(Path.of(table))) {
        count +=
            lines
                .skip(1)
                .map(String::trim)
                .map(line -> line.split("\\s+"))
                .filter(f -> f[2].endsWith(remote) && f[3].equals("01"))
                .count();
      }
    }
    return count;
  }
}
