package dev.valkeyrie.etcdv3;

import static dev.valkeyrie.etcdv3.TestSupport.etcdctl;
import static dev.valkeyrie.etcdv3.TestSupport.utf8;
import static dev.valkeyrie.etcdv3.WatchTesting.next;
import static dev.valkeyrie.etcdv3.WatchTesting.open;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.etcd.launcher.EtcdCluster;
import dev.valkeyrie.etcdv3.rpc.RangeRequest;
import dev.valkeyrie.store.AccessDeniedException;
import dev.valkeyrie.store.KeyEvent;
import dev.valkeyrie.store.KeyEvent.Kind;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.store.Watch;
import dev.valkeyrie.store.WatchClosedException;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Watches with etcd's authentication on and a short token TTL ({@code --auth-token-ttl=2}): an open
 * watch keeps delivering after its stream's token expired (pitfall 33); a watch created on that
 * stream afterwards is refused for the token, so the stream moves to a fresh token and every watch
 * goes on; a watch without permission ends with {@link AccessDeniedException}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WatchAuthTest {
  @RegisterExtension
  static final EtcdClusterExtension ETCD =
      EtcdClusterExtension.of(
          EtcdCluster.builder().name("v3-watch-auth").extraArgs("--auth-token-ttl=2"));

  private static final String ROOT_PASSWORD = "root-secret";
  private static final String ALICE_PASSWORD = "alice-secret";
  private static final Metadata.Key<String> TOKEN =
      Metadata.Key.of("token", Metadata.ASCII_STRING_MARSHALLER);

  @BeforeAll
  static void enableAuth() throws Exception {
    String endpoint = ETCD.endpoints().get(0);
    etcdctl(
        endpoint,
        "user",
        "add",
        "root",
        "--new-user-password=" + ROOT_PASSWORD,
        "--interactive=false");
    etcdctl(endpoint, "role", "add", "app");
    etcdctl(endpoint, "role", "grant-permission", "app", "readwrite", "--prefix=true", "app/");
    etcdctl(endpoint, "role", "add", "temp");
    etcdctl(endpoint, "role", "grant-permission", "temp", "readwrite", "--prefix=true", "temp/");
    etcdctl(
        endpoint,
        "user",
        "add",
        "alice",
        "--new-user-password=" + ALICE_PASSWORD,
        "--interactive=false");
    etcdctl(endpoint, "user", "grant-role", "alice", "app");
    etcdctl(endpoint, "user", "grant-role", "alice", "temp");
    etcdctl(endpoint, "auth", "enable");
  }

  private static EtcdV3Config alice() {
    return EtcdV3Config.builder()
        .username("alice")
        .password(ALICE_PASSWORD)
        .requestTimeout(Duration.ofSeconds(5))
        .build();
  }

  private static Store root() {
    return EtcdV3Store.open(
        ETCD.endpoints(), EtcdV3Config.builder().username("root").password(ROOT_PASSWORD).build());
  }

  /**
   * Waits until etcd has forgotten {@code token} (it was not used for the TTL). Asking about it
   * renews it while it is valid, so asks are further apart than the TTL.
   */
  private static void awaitExpired(String token) throws Exception {
    try (TestSupport.Raw raw = new TestSupport.Raw(ETCD.endpoints().get(0))) {
      Metadata headers = new Metadata();
      headers.put(TOKEN, token);
      await("etcd forgets the watch stream's token")
          .atMost(Duration.ofSeconds(40))
          .pollDelay(Duration.ofSeconds(4))
          .pollInterval(Duration.ofSeconds(4))
          .until(
              () -> {
                try {
                  raw.kv()
                      .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                      .range(
                          RangeRequest.newBuilder()
                              .setKey(ByteString.copyFromUtf8("app/x"))
                              .build());
                  return false;
                } catch (StatusRuntimeException e) {
                  return e.getStatus().getCode() == Status.Code.UNAUTHENTICATED;
                }
              });
    }
  }

  private static String streamToken(WatchTesting.Opened o) {
    await("the watch stream open")
        .atMost(Duration.ofSeconds(10))
        .until(() -> o.stream().streamToken() != null);
    return o.stream().streamToken();
  }

  @Test
  @Order(1)
  void anOpenWatchKeepsDeliveringAfterItsStreamsTokenExpired() throws Exception {
    String key = "app/open/k";
    try (Store root = root();
        WatchTesting.Opened o = open(ETCD.endpoints(), alice())) {
      root.put(key, utf8("v0"));
      try (Watch<KeyEvent> watch = o.store().watchEvents(key)) {
        next(watch);
        awaitExpired(streamToken(o));

        root.put(key, utf8("v1"));

        KeyEvent event = next(watch);
        assertThat(event.kind()).isEqualTo(Kind.MODIFIED);
        assertThat(event.pair().valueAsString()).isEqualTo("v1");
        assertThat(o.stream().streamsOpened()).isEqualTo(1);
      }
    }
  }

  @Test
  @Order(2)
  void aWatchCreatedOnAStreamWhoseTokenExpiredMovesEveryWatchToAFreshToken() throws Exception {
    try (Store root = root();
        WatchTesting.Opened o = open(ETCD.endpoints(), alice())) {
      root.put("app/fresh/a", utf8("a0"));
      root.put("app/fresh/b", utf8("b0"));
      try (Watch<KeyEvent> first = o.store().watchEvents("app/fresh/a")) {
        next(first);
        awaitExpired(streamToken(o));

        try (Watch<KeyEvent> second = o.store().watchEvents("app/fresh/b")) {
          assertThat(next(second).kind()).isEqualTo(Kind.CURRENT);
          root.put("app/fresh/a", utf8("a1"));
          root.put("app/fresh/b", utf8("b1"));

          assertThat(next(first).pair().valueAsString()).isEqualTo("a1");
          assertThat(next(second).pair().valueAsString()).isEqualTo("b1");
          assertThat(first.poll(Duration.ofMillis(300))).as("a repeated event").isNull();
          assertThat(o.stream().streamsOpened()).as("streams").isEqualTo(2);
        }
      }
    }
  }

  @Test
  @Order(3) // last: changing a permission makes every earlier token "old" for etcd
  void aWatchWhosePermissionIsGoneBeforeItsCreationEndsWithAccessDenied() throws Exception {
    String key = "temp/k";
    AtomicBoolean once = new AtomicBoolean();
    try (Store root = root();
        WatchTesting.Opened o =
            open(
                ETCD.endpoints(),
                alice(),
                (k, r) -> {
                  if (once.compareAndSet(false, true)) {
                    try {
                      etcdctl(
                          ETCD.endpoints().get(0),
                          "--user=root:" + ROOT_PASSWORD,
                          "role",
                          "revoke-permission",
                          "temp",
                          "temp/",
                          "--prefix=true");
                    } catch (Exception e) {
                      throw new IllegalStateException(e);
                    }
                  }
                })) {
      root.put(key, utf8("v"));
      Watch<KeyEvent> watch = o.store().watchEvents(key);
      assertThat(next(watch).kind()).isEqualTo(Kind.CURRENT);

      assertThatThrownBy(() -> watch.poll(Duration.ofSeconds(30)))
          .isInstanceOf(WatchClosedException.class)
          .cause()
          .isInstanceOf(AccessDeniedException.class)
          .hasMessageContaining(key)
          .hasMessageContaining("alice")
          .hasMessageNotContaining(ALICE_PASSWORD);
    }
  }
}
