package dev.valkeyrie.etcd.faults;

import static dev.valkeyrie.etcd.faults.FaultProxyPassTest.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The faults that act on the server's answer; the server answers every GET with 100 KiB. */
class FaultProxyAnswerFaultsTest {
  private LocalServer server;
  private FaultProxy proxy;
  private byte[] response;

  @BeforeEach
  void start() throws IOException {
    server = LocalServer.http(randomBytes(100 * 1024));
    proxy = FaultProxy.start(server.endpoint());
    response = server.response();
  }

  @AfterEach
  void closeAll() throws Exception {
    proxy.close();
    server.close();
  }

  @Test
  void resetAfterDeliversExactlyThatManyBytesThenAReset() throws Exception {
    proxy.inject(Fault.resetAfter(1000));

    try (RawClient client = RawClient.connect(proxy).send(RawClient.GET)) {
      assertThat(client.read(1000)).isEqualTo(prefix(1000));
      assertThatThrownBy(() -> client.read(1))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("Connection reset");
    }
    assertThat(server.requests()).isEqualTo(1);
    assertThat(proxy.bytesToClient()).isEqualTo(1000);
  }

  @Test
  void resetAfterZeroLetsTheRequestReachTheServerButLosesTheAnswer() throws Exception {
    proxy.inject(Fault.resetAfter(0));

    try (RawClient client = RawClient.connect(proxy).send(RawClient.GET)) {
      assertThatThrownBy(client::readToEnd)
          .isInstanceOf(IOException.class)
          .hasMessageContaining("Connection reset");
    }
    assertThat(server.requests()).isEqualTo(1);
    assertThat(proxy.bytesToServer()).isEqualTo(RawClient.GET.length());
    assertThat(proxy.bytesToClient()).isZero();
  }

  @Test
  void trickleDeliversTheWholeAnswerInOrder() throws Exception {
    proxy.inject(Fault.trickle(8 * 1024, Duration.ofMillis(20)));

    try (RawClient client = RawClient.connect(proxy).send(RawClient.GET)) {
      assertThat(client.read(response.length)).isEqualTo(response);
    }
  }

  @Test
  void trickleDeliversOneChunkPerInterval() throws Exception {
    proxy.inject(Fault.trickle(1024, Duration.ofHours(1)));

    try (RawClient client = RawClient.connect(proxy).send(RawClient.GET)) {
      assertThat(client.read(1024)).isEqualTo(prefix(1024));
      client.assertNothingArrives();
      assertThat(proxy.bytesToClient()).isEqualTo(1024);

      proxy.heal(); // ends the interval at once

      assertThat(client.read(response.length - 1024))
          .isEqualTo(Arrays.copyOfRange(response, 1024, response.length));
    }
  }

  @Test
  void stallAfterHeadersDeliversTheHeadersButNoBody() throws Exception {
    proxy.inject(Fault.stallAfterHeaders());

    try (RawClient client = RawClient.connect(proxy).send(RawClient.GET)) {
      assertThat(client.readHeaders()).isEqualTo(prefix(server.headerLength()));
      client.assertNothingArrives();
      assertThat(proxy.openConnections()).isEqualTo(1);
    }
  }

  @Test
  void closeAfterHeadersEndsTheStreamAfterTheHeaders() throws Exception {
    proxy.inject(Fault.closeAfterHeaders());

    try (RawClient client = RawClient.connect(proxy).send(RawClient.GET)) {
      assertThat(client.readToEnd()).isEqualTo(prefix(server.headerLength()));
    }
  }

  @Test
  void stallAfterDeliversThatManyBytesAndKeepsTheConnectionOpen() throws Exception {
    proxy.inject(Fault.stallAfter(50));

    try (RawClient client = RawClient.connect(proxy).send(RawClient.GET)) {
      assertThat(client.read(50)).isEqualTo(prefix(50));
      client.assertNothingArrives();
      assertThat(proxy.openConnections()).isEqualTo(1);
    }
  }

  @Test
  void healLetsAStalledAnswerContinueWhereItStopped() throws Exception {
    proxy.inject(Fault.stallAfter(50));
    try (RawClient client = RawClient.connect(proxy).send(RawClient.GET)) {
      client.read(50);
      client.assertNothingArrives();

      proxy.heal();

      assertThat(client.read(response.length - 50))
          .isEqualTo(Arrays.copyOfRange(response, 50, response.length));
    }
  }

  @Test
  void aKeptAliveConnectionCountsItsNextAnswerAfresh() throws Exception {
    try (RawClient client = RawClient.connect(proxy).send(RawClient.GET)) {
      assertThat(client.read(response.length)).isEqualTo(response);

      proxy.inject(Fault.stallAfterHeaders());
      client.send(RawClient.GET);

      assertThat(client.readHeaders()).isEqualTo(prefix(server.headerLength()));
      client.assertNothingArrives();
      assertThat(server.requests()).isEqualTo(2);
    }
  }

  private byte[] prefix(int length) {
    return Arrays.copyOf(response, length);
  }
}
