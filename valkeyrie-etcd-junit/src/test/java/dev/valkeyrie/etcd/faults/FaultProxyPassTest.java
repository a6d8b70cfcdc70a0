package dev.valkeyrie.etcd.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FaultProxyPassTest {
  private LocalServer server;
  private FaultProxy proxy;

  @AfterEach
  void closeAll() throws Exception {
    if (proxy != null) {
      proxy.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void passesBytesThroughUnchangedBothWays() throws Exception {
    server = LocalServer.echo();
    proxy = FaultProxy.start(server.endpoint());
    byte[] sent = randomBytes(4 * 1024 * 1024);

    byte[] echoed;
    try (RawClient client = RawClient.connect(proxy)) {
      // Written while reading, or both sides' buffers fill up and everything stops.
      CompletableFuture<Void> writing =
          CompletableFuture.runAsync(
              () -> {
                try {
                  client.send(sent);
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              });
      echoed = client.read(sent.length);
      writing.join();
    }

    assertThat(echoed).isEqualTo(sent);
    assertThat(proxy.bytesToServer()).isEqualTo(sent.length);
    assertThat(proxy.bytesToClient()).isEqualTo(sent.length);
  }

  @Test
  void passesALargeHttpAnswerUnchanged() throws Exception {
    byte[] body = randomBytes(3 * 1024 * 1024 + 17);
    server = LocalServer.http(body);
    proxy = FaultProxy.start("http://" + server.endpoint());
    HttpClient http =
        HttpClient.newBuilder()
            .proxy(HttpClient.Builder.NO_PROXY)
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    HttpResponse<byte[]> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://" + proxy.endpoint() + "/data"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(body);
  }

  @Test
  void countersReportThatARequestReachedTheServer() throws Exception {
    server = LocalServer.http("hello".getBytes(StandardCharsets.US_ASCII));
    proxy = FaultProxy.start(server.endpoint());

    try (RawClient client = RawClient.connect(proxy)) {
      client.send(RawClient.GET);
      assertThat(client.read(server.response().length)).isEqualTo(server.response());

      assertThat(proxy.acceptedConnections()).isEqualTo(1);
      assertThat(proxy.openConnections()).isEqualTo(1);
      assertThat(proxy.bytesToServer()).isEqualTo(RawClient.GET.length());
      assertThat(proxy.bytesToClient()).isEqualTo(server.response().length);
      assertThat(server.requests()).isEqualTo(1);
    }
    // The client's end of stream travels through the proxy, the server closes, and so does the
    // proxy's connection.
    await().atMost(Duration.ofSeconds(10)).until(() -> proxy.openConnections() == 0);
    assertThat(proxy.acceptedConnections()).isEqualTo(1);
  }

  @Test
  void closeStopsEveryThreadAndClosesEverySocket() throws Exception {
    server = LocalServer.http(randomBytes(200_000));
    proxy = FaultProxy.start(server.endpoint());
    String prefix = "fault-proxy-" + proxy.port() + "-";
    RawClient idle = RawClient.connect(proxy);
    RawClient stalled = RawClient.connect(proxy);
    RawClient trickling = RawClient.connect(proxy);
    RawClient blackholed = RawClient.connect(proxy);
    await().atMost(Duration.ofSeconds(10)).until(() -> proxy.openConnections() == 4);
    proxy.inject(Fault.stallAfter(10));
    stalled.send(RawClient.GET).read(10);
    proxy.inject(Fault.trickle(10, Duration.ofHours(1)));
    trickling.send(RawClient.GET).read(10);
    proxy.inject(Fault.blackhole());
    blackholed.send(RawClient.GET);
    // The accepting thread and two per connection.
    await().atMost(Duration.ofSeconds(10)).until(() -> proxyThreads(prefix).size() == 9);

    proxy.close();

    assertThat(proxyThreads(prefix)).isEmpty();
    assertThat(proxy.openConnections()).isZero();
    for (RawClient client : new RawClient[] {idle, stalled, trickling, blackholed}) {
      assertThatThrownBy(client::readToEnd)
          .isInstanceOf(IOException.class)
          .hasMessageContaining("Connection reset");
      client.close();
    }
    assertThatThrownBy(() -> RawClient.connect(proxy))
        .isInstanceOf(java.net.ConnectException.class);
    assertThatThrownBy(proxy::heal).isInstanceOf(IllegalStateException.class);
    proxy.close(); // idempotent
  }

  @Test
  void targetsMustBeLoopbackAddresses() {
    assertThatThrownBy(() -> FaultProxy.start("10.1.2.3:2379"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("loopback");
    assertThatThrownBy(() -> FaultProxy.start("http://etcd.invalid:2379"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not resolved");
    assertThatThrownBy(() -> FaultProxy.start("127.0.0.1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("port");
  }

  /** The names of the live threads whose names start with {@code prefix}. */
  static java.util.List<String> proxyThreads(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(name -> name.startsWith(prefix))
        .toList();
  }

  static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    new Random(n).nextBytes(bytes);
    return bytes;
  }
}
