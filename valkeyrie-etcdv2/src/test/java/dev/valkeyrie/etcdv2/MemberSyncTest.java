package dev.valkeyrie.etcdv2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.etcd.launcher.EtcdCluster;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Member sync against a real 3-member cluster. */
class MemberSyncTest {
  @RegisterExtension
  static final EtcdClusterExtension ETCD =
      EtcdClusterExtension.of(EtcdCluster.builder().members(3).name("sync"));

  private final StoreTimer timer = StoreTimer.ownThread("test-sync-timer");
  private final ApacheHttpTransport transport =
      new ApacheHttpTransport(
          new ApacheHttpTransport.Settings(
              "test-sync", 1, 4, Duration.ofSeconds(1), null, null, false),
          timer.deadlines());

  @AfterEach
  void close() {
    transport.close();
    timer.close();
  }

  @Test
  void oneKnownMemberLeadsToAllOfThem() {
    Endpoints endpoints =
        Endpoints.parse(
            List.of(ETCD.endpoints().get(1)), false, dev.valkeyrie.store.spi.Ticker.system());

    new MemberSync(endpoints, transport, timer.deadlines(), Duration.ofSeconds(5))
        .syncOnce()
        .join();

    assertThat(endpoints.all())
        .extracting(URI::toString)
        .containsExactlyInAnyOrderElementsOf(ETCD.endpoints());
    assertThat(endpoints.preferred().toString()).isEqualTo(ETCD.endpoints().get(1));
  }

  @Test
  void failedSyncKeepsTheListAndMovesToTheNextMemberForTheNextTry() throws IOException {
    String dead = "127.0.0.1:" + closedPort();
    Endpoints endpoints =
        Endpoints.parse(
            List.of(dead, ETCD.endpoints().get(0)), false, dev.valkeyrie.store.spi.Ticker.system());
    MemberSync sync =
        new MemberSync(endpoints, transport, timer.deadlines(), Duration.ofSeconds(5));

    sync.syncOnce().join();
    assertThat(endpoints.size()).isEqualTo(2);

    sync.syncOnce().join();
    assertThat(endpoints.all())
        .extracting(URI::toString)
        .containsExactlyInAnyOrderElementsOf(ETCD.endpoints());
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
