package dev.valkeyrie.etcdv2;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.store.ConnectionState;
import dev.valkeyrie.store.InvalidConfigurationException;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.store.StoreException;
import dev.valkeyrie.store.StoreUnavailableException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Faults a real etcd does not produce on demand, served by a tiny local HTTP server, plus endpoint
 * failures that need no server at all. Each must give a clear exception, in bounded time.
 */
class FaultyServerTest {
  @RegisterExtension static final EtcdClusterExtension ETCD = EtcdClusterExtension.members(1);

  private static final EtcdV2Config FAST =
      EtcdV2Config.builder()
          .connectionTimeout(Duration.ofSeconds(1))
          .requestTimeout(Duration.ofSeconds(2))
          .build();

  private HttpServer server;
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void stopServer() {
    release.countDown();
    if (server != null) {
      server.stop(0);
    }
  }

  private String serve(HttpHandler handler) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", handler);
    server.start();
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  private static void answer(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  @Test
  void malformedJsonGivesAStoreExceptionNamingTheEndpoint() throws IOException {
    String endpoint =
        serve(e -> answer(e, 200, "application/json", "{\"action\":\"get\",\"node\":{"));

    try (Store store = EtcdV2Store.open(List.of(endpoint), FAST)) {
      assertThatThrownBy(() -> store.get("some/key"))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("malformed")
          .hasMessageContaining(endpoint)
          .hasMessageContaining("some/key");
    }
  }

  @Test
  void serverThatNeverAnswersTimesOutWithStoreUnavailable() throws IOException {
    String endpoint =
        serve(
            e -> {
              try {
                release.await();
              } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
              }
            });

    try (Store store = EtcdV2Store.open(List.of(endpoint), FAST)) {
      assertThatThrownBy(() -> store.get("slow/key"))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("did not answer in time")
          .hasMessageContaining("slow/key");
    }
  }

  @Test
  void serverErrorWithoutJsonIsStoreUnavailable() throws IOException {
    String endpoint = serve(e -> answer(e, 503, "text/plain", "overloaded"));

    try (Store store = EtcdV2Store.open(List.of(endpoint), FAST)) {
      assertThatThrownBy(() -> store.get("k"))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("503");
    }
  }

  @Test
  void refusedConnectionIsStoreUnavailableNamingTheEndpoint() throws IOException {
    String endpoint = "127.0.0.1:" + closedPort();

    try (Store store = EtcdV2Store.open(List.of(endpoint), FAST)) {
      assertThatThrownBy(() -> store.get("k"))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining(endpoint);
    }
  }

  @Test
  void requestMovesToTheNextEndpointWhenTheFirstRefuses() throws IOException {
    String dead = "127.0.0.1:" + closedPort();
    List<String> endpoints = List.of(dead, ETCD.endpoints().get(0));

    try (Store store = EtcdV2Store.open(endpoints, FAST)) {
      store.put("failover/k", "v".getBytes(UTF_8));
      assertThat(store.get("failover/k").valueAsString()).isEqualTo("v");
    }
  }

  @Test
  void readMovesToTheNextMemberWhenOneAnswersWithAServerError() throws IOException {
    String failing =
        serve(
            e ->
                answer(
                    e,
                    500,
                    "application/json",
                    "{\"errorCode\":300,\"message\":\"Raft Internal Error\",\"cause\":\"etcdserver:"
                        + " request timed out\",\"index\":0}"));
    List<String> endpoints = List.of(failing, ETCD.endpoints().get(0));
    try (Store direct = EtcdV2Store.open(ETCD.endpoints(), FAST)) {
      direct.put("failover/read", "v".getBytes(UTF_8));
    }

    try (Store store = EtcdV2Store.open(endpoints, FAST)) {
      assertThat(store.get("failover/read").valueAsString()).isEqualTo("v");
    }
  }

  @Test
  void compareAndSwapIsNotResentAfterAServerErrorAndSaysTheOutcomeIsUnknown() throws IOException {
    AtomicInteger requests = new AtomicInteger();
    String failing =
        serve(
            e -> {
              requests.incrementAndGet();
              answer(
                  e,
                  500,
                  "application/json",
                  "{\"errorCode\":300,\"message\":\"Raft Internal"
                      + " Error\",\"cause\":\"etcdserver: request timed out\",\"index\":0}");
            });

    try (Store store = EtcdV2Store.open(List.of(failing, ETCD.endpoints().get(0)), FAST)) {
      assertThatThrownBy(() -> store.atomicPut("cas/k", "v".getBytes(UTF_8), null, null))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("the outcome is unknown")
          .satisfies(e -> assertThat(((StoreUnavailableException) e).outcomeUnknown()).isTrue());
      assertThat(requests).hasValue(1);
    }
  }

  @Test
  void writeThatGetsNoAnswerSaysItsOutcomeIsUnknown() throws IOException {
    String endpoint =
        serve(
            e -> {
              try {
                release.await();
              } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
              }
            });

    try (Store store = EtcdV2Store.open(List.of(endpoint), FAST)) {
      assertThatThrownBy(() -> store.atomicPut("slow/cas", "v".getBytes(UTF_8), null, null))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("outcome is unknown");
    }
  }

  @Test
  void connectionStateGoesSuspendedWhenNoMemberAnswersAndBackWhenOneDoes() throws IOException {
    String dead = "127.0.0.1:" + closedPort();
    List<ConnectionState> states = new CopyOnWriteArrayList<>();

    try (Store store = EtcdV2Store.open(List.of(dead), FAST);
        Store healthy = EtcdV2Store.open(ETCD.endpoints(), FAST)) {
      store.addConnectionStateListener(states::add, Runnable::run);
      healthy.addConnectionStateListener(states::add, Runnable::run);
      assertThatThrownBy(() -> store.get("k")).isInstanceOf(StoreUnavailableException.class);
      healthy.exists("k");

      assertThat(store.connectionState()).isEqualTo(ConnectionState.SUSPENDED);
      assertThat(healthy.connectionState()).isEqualTo(ConnectionState.CONNECTED);
      assertThat(states)
          .containsExactlyInAnyOrder(ConnectionState.SUSPENDED, ConnectionState.CONNECTED);
    }
  }

  @Test
  void suspendedStoreIsLostAfterTheLossTimeoutAndReconnectsByItselfWhenTheClusterRecovers()
      throws IOException {
    AtomicBoolean healthy = new AtomicBoolean();
    String endpoint =
        serve(
            e -> {
              if (healthy.get()) {
                answer(
                    e,
                    404,
                    "application/json",
                    "{\"errorCode\":100,\"message\":\"Key not found\",\"cause\":\"/k\",\"index\":7}");
              } else {
                answer(
                    e,
                    500,
                    "application/json",
                    "{\"errorCode\":300,\"message\":\"Raft Internal"
                        + " Error\",\"cause\":\"etcdserver: request timed out\",\"index\":0}");
              }
            });
    List<ConnectionState> states = new CopyOnWriteArrayList<>();
    EtcdV2Config config =
        EtcdV2Config.builder()
            .requestTimeout(Duration.ofSeconds(2))
            .connectionLossTimeout(Duration.ofSeconds(2))
            .build();

    try (Store store = EtcdV2Store.open(List.of(endpoint), config)) {
      store.addConnectionStateListener(states::add, Runnable::run);
      assertThatThrownBy(() -> store.get("k")).isInstanceOf(StoreUnavailableException.class);
      await().atMost(Duration.ofSeconds(20)).until(() -> states.contains(ConnectionState.LOST));

      healthy.set(true); // no request from the application: the store's probe notices

      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> states.contains(ConnectionState.RECONNECTED));
      assertThat(states)
          .containsExactly(
              ConnectionState.SUSPENDED, ConnectionState.LOST, ConnectionState.RECONNECTED);
    }
  }

  @Test
  void unusableEndpointsAreRefusedWhenOpening() {
    assertThatThrownBy(() -> EtcdV2Store.open(List.of("ftp://127.0.0.1:1"), null))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("ftp://127.0.0.1:1");
    assertThatThrownBy(() -> EtcdV2Store.open(List.of("https://127.0.0.1:2379"), null))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("TLS");
    assertThatThrownBy(() -> EtcdV2Store.open(List.of(), null))
        .isInstanceOf(InvalidConfigurationException.class);
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
