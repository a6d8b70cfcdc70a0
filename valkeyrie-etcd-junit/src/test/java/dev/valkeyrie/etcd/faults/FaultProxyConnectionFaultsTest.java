package dev.valkeyrie.etcd.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The faults that act on whole connections or on both directions. */
class FaultProxyConnectionFaultsTest {
  private LocalServer server;
  private FaultProxy proxy;
  private byte[] response;

  @BeforeEach
  void start() throws IOException {
    server = LocalServer.http("{\"etcdserver\":\"3.4\"}".getBytes(StandardCharsets.US_ASCII));
    proxy = FaultProxy.start(server.endpoint());
    response = server.response();
  }

  @AfterEach
  void closeAll() throws Exception {
    proxy.close();
    server.close();
  }

  @Test
  void blackholeKeepsTheConnectionOpenAndAnswersNothing() throws Exception {
    proxy.inject(Fault.blackhole());

    try (RawClient client = RawClient.connect(proxy).send(RawClient.GET)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> proxy.openConnections() == 1);
      client.assertNothingArrives();
      assertThat(proxy.openConnections()).isEqualTo(1);
    }
    assertThat(proxy.acceptedConnections()).isEqualTo(1);
    assertThat(proxy.bytesToServer()).isZero();
    assertThat(server.requests()).isZero();
  }

  @Test
  void blackholeStopsForwardingOnAnOpenConnection() throws Exception {
    try (RawClient client = RawClient.connect(proxy).send(RawClient.GET)) {
      assertThat(client.read(response.length)).isEqualTo(response);

      proxy.inject(Fault.blackhole());
      client.send(RawClient.GET);

      client.assertNothingArrives();
      assertThat(server.requests()).isEqualTo(1);
      assertThat(proxy.bytesToServer()).isEqualTo(RawClient.GET.length());
    }
  }

  @Test
  void healLetsABlackholedConnectionContinue() throws Exception {
    proxy.inject(Fault.blackhole());
    try (RawClient client = RawClient.connect(proxy).send(RawClient.GET)) {
      client.assertNothingArrives();

      proxy.heal();

      assertThat(client.read(response.length)).isEqualTo(response);
      assertThat(server.requests()).isEqualTo(1);
    }
  }

  @Test
  void delayHoldsEachDirectionBackForTheLatency() throws Exception {
    Duration latency = Duration.ofMillis(200);
    proxy.inject(Fault.delay(latency));

    long start = System.nanoTime();
    try (RawClient client = RawClient.connect(proxy).send(RawClient.GET)) {
      assertThat(client.read(response.length)).isEqualTo(response);
    }
    // The request and the answer were each held back: a lower bound, never an upper one.
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(latency.multipliedBy(2));
  }

  @Test
  void healPassesDelayedBytesOnAtOnce() throws Exception {
    proxy.inject(Fault.delay(Duration.ofHours(1)));
    try (RawClient client = RawClient.connect(proxy).send(RawClient.GET)) {
      client.assertNothingArrives();
      assertThat(server.requests()).isZero();

      proxy.heal();

      assertThat(client.read(response.length)).isEqualTo(response);
    }
  }

  @Test
  void refuseGivesConnectExceptionAndHealAcceptsAgainOnTheSamePort() throws Exception {
    int port = proxy.port();
    proxy.inject(Fault.refuse());

    assertThatThrownBy(() -> RawClient.connect(proxy)).isInstanceOf(ConnectException.class);
    assertThat(proxy.acceptedConnections()).isZero();

    proxy.heal();

    assertThat(proxy.port()).isEqualTo(port);
    try (RawClient client = RawClient.connect(proxy).send(RawClient.GET)) {
      assertThat(client.read(response.length)).isEqualTo(response);
    }
    assertThat(proxy.acceptedConnections()).isEqualTo(1);
  }

  @Test
  void refuseIsInForceWhenInjectReturns() throws Exception {
    // ServerSocket.close() returns before the kernel closes a socket that a thread is accepting
    // on; a proxy that did not wait for that let some of these connects through.
    for (int i = 0; i < 300; i++) {
      proxy.inject(Fault.refuse());
      assertThatThrownBy(() -> RawClient.connect(proxy).close())
          .isInstanceOf(ConnectException.class);
      proxy.heal();
    }
    assertThat(proxy.acceptedConnections()).isZero();
  }

  @Test
  void refuseLeavesOpenConnectionsWorking() throws Exception {
    try (RawClient client = RawClient.connect(proxy)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> proxy.openConnections() == 1);

      proxy.inject(Fault.refuse());
      client.send(RawClient.GET);

      assertThat(client.read(response.length)).isEqualTo(response);
    }
  }

  @Test
  void cutAllResetsOpenConnections() throws Exception {
    try (RawClient first = RawClient.connect(proxy).send(RawClient.GET);
        RawClient second = RawClient.connect(proxy).send(RawClient.GET)) {
      first.read(response.length);
      second.read(response.length);

      assertThat(proxy.cutAll()).isEqualTo(2);

      for (RawClient client : new RawClient[] {first, second}) {
        assertThatThrownBy(() -> client.read(1))
            .isInstanceOf(IOException.class)
            .hasMessageContaining("Connection reset");
      }
      assertThat(proxy.openConnections()).isZero();
    }
    try (RawClient client = RawClient.connect(proxy).send(RawClient.GET)) {
      assertThat(client.read(response.length)).isEqualTo(response);
    }
  }

  @Test
  void cutAllEndsBlackholedConnectionsAndTheirThreads() throws Exception {
    proxy.inject(Fault.blackhole());
    try (RawClient client = RawClient.connect(proxy).send(RawClient.GET)) {
      String prefix = "fault-proxy-" + proxy.port() + "-";
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> FaultProxyPassTest.proxyThreads(prefix).size() == 3);

      assertThat(proxy.cutAll()).isEqualTo(1);

      assertThatThrownBy(() -> client.read(1))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("Connection reset");
      assertThat(FaultProxyPassTest.proxyThreads(prefix)).containsExactly(prefix + "accept");
    }
  }
}
