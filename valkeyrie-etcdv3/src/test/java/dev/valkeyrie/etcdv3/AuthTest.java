package dev.valkeyrie.etcdv3;

import static dev.valkeyrie.etcdv3.TestSupport.etcdctl;
import static dev.valkeyrie.etcdv3.TestSupport.figure;
import static dev.valkeyrie.etcdv3.TestSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.etcd.launcher.EtcdCluster;
import dev.valkeyrie.etcdv3.rpc.AuthenticateRequest;
import dev.valkeyrie.etcdv3.rpc.RangeRequest;
import dev.valkeyrie.store.AccessDeniedException;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.store.WriteOptions;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * etcd's v3 authentication, enabled with etcdctl, with a short token TTL ({@code
 * --auth-token-ttl=2}): the store authenticates, re-authenticates once when its token expired, and
 * refuses with {@link AccessDeniedException} naming the key and the user. The password never shows
 * in a message.
 */
class AuthTest {
  @RegisterExtension
  static final EtcdClusterExtension ETCD =
      EtcdClusterExtension.of(
          EtcdCluster.builder().name("v3-auth").extraArgs("--auth-token-ttl=2"));

  private static final String ROOT_PASSWORD = "root-secret";
  private static final String ALICE_PASSWORD = "alice-secret";

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
    etcdctl(
        endpoint,
        "user",
        "add",
        "alice",
        "--new-user-password=" + ALICE_PASSWORD,
        "--interactive=false");
    etcdctl(endpoint, "user", "grant-role", "alice", "app");
    etcdctl(endpoint, "auth", "enable");
  }

  private static Store alice(String password) {
    return EtcdV3Store.open(
        ETCD.endpoints(),
        EtcdV3Config.builder()
            .username("alice")
            .password(password)
            .requestTimeout(Duration.ofSeconds(5))
            .build());
  }

  @Test
  void aUserWorksInsideItsPermissions() {
    try (Store store = alice(ALICE_PASSWORD)) {
      store.put("app/works/a", utf8("v"));
      store.put(
          "app/works/ttl", utf8("t"), WriteOptions.builder().ttl(Duration.ofMinutes(1)).build());
      assertThat(store.get("app/works/a").valueAsString()).isEqualTo("v");
      assertThat(store.list("app/works")).hasSize(2);
      // Listing needs read permission on the prefix app/ only, not on the key app.
      assertThat(store.list("app")).isNotEmpty();
      store.deleteTree("app/works");
    }
  }

  @Test
  void anExpiredTokenIsReplacedOnceAndTheCallSucceeds() throws Exception {
    try (EtcdV3Store store = (EtcdV3Store) alice(ALICE_PASSWORD)) {
      store.put("app/token", utf8("before"));
      assertThat(store.context().calls().authentications()).isEqualTo(1);
      // Idle for longer than --auth-token-ttl until etcd forgets the token: tokens taken after the
      // store's last call expire no sooner than its own, and each is used once (a use renews it).
      try (ExpiryProbe probe = ExpiryProbe.taken(ETCD.endpoints().get(0), ALICE_PASSWORD, 12)) {
        await()
            .atMost(Duration.ofSeconds(20))
            .pollInterval(Duration.ofMillis(500))
            .until(probe::nextTokenExpired);
      }
      long start = System.nanoTime();
      store.put("app/token", utf8("after"));
      figure("v3 put after token expiry (re-authenticated): %d ms", TestSupport.millisSince(start));
      assertThat(store.get("app/token").valueAsString()).isEqualTo("after");
      assertThat(store.context().calls().authentications()).as("authentications").isEqualTo(2);
    }
  }

  @Test
  void aKeyOutsideThePermissionsIsRefusedNamingKeyAndUser() {
    try (Store store = alice(ALICE_PASSWORD)) {
      assertThatThrownBy(() -> store.put("elsewhere/k", utf8("v")))
          .isInstanceOf(AccessDeniedException.class)
          .hasMessageContaining("elsewhere/k")
          .hasMessageContaining("alice")
          .hasMessageNotContaining(ALICE_PASSWORD);
      assertThatThrownBy(() -> store.get("elsewhere/k"))
          .isInstanceOf(AccessDeniedException.class)
          .hasMessageContaining("elsewhere/k");
    }
  }

  @Test
  void aWrongPasswordIsRefusedNamingKeyAndUserButNotThePassword() {
    try (Store store = alice("wrong-password")) {
      assertThatThrownBy(() -> store.put("app/k", utf8("v")))
          .isInstanceOf(AccessDeniedException.class)
          .hasMessageContaining("app/k")
          .hasMessageContaining("alice")
          .hasMessageNotContaining("wrong-password");
    }
  }

  @Test
  void noCredentialsAreRefusedWithAHint() {
    try (Store store = EtcdV3Store.open(ETCD.endpoints(), null)) {
      assertThatThrownBy(() -> store.get("app/k"))
          .isInstanceOf(AccessDeniedException.class)
          .hasMessageContaining("app/k")
          .hasMessageContaining("username and password");
    }
  }

  @Test
  void rootSeesEverything() {
    try (Store store =
        EtcdV3Store.open(
            ETCD.endpoints(),
            EtcdV3Config.builder().username("root").password(ROOT_PASSWORD).build())) {
      store.put("elsewhere/root", utf8("r"));
      assertThat(store.get("elsewhere/root").valueAsString()).isEqualTo("r");
      store.delete("elsewhere/root");
    }
  }

  /**
   * Tokens of alice's taken together, each used at most once: the first one etcd refuses as invalid
   * shows that every token idle since before they were taken has expired.
   */
  private static final class ExpiryProbe implements AutoCloseable {
    private static final Metadata.Key<String> TOKEN =
        Metadata.Key.of("token", Metadata.ASCII_STRING_MARSHALLER);
    private final TestSupport.Raw raw;
    private final Deque<String> unused = new ArrayDeque<>();

    private ExpiryProbe(TestSupport.Raw raw) {
      this.raw = raw;
    }

    static ExpiryProbe taken(String endpoint, String password, int count) {
      ExpiryProbe probe = new ExpiryProbe(new TestSupport.Raw(endpoint));
      AuthenticateRequest request =
          AuthenticateRequest.newBuilder().setName("alice").setPassword(password).build();
      for (int i = 0; i < count; i++) {
        probe.unused.add(probe.raw.auth().authenticate(request).getToken());
      }
      return probe;
    }

    boolean nextTokenExpired() {
      String token = unused.poll();
      assertThat(token).as("an unused probe token").isNotNull();
      Metadata headers = new Metadata();
      headers.put(TOKEN, token);
      try {
        raw.kv()
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
            .range(
                RangeRequest.newBuilder()
                    .setKey(ByteString.copyFromUtf8("app/probe"))
                    .setCountOnly(true)
                    .build());
        return false;
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() == Status.Code.UNAUTHENTICATED) {
          return true;
        }
        throw e;
      }
    }

    @Override
    public void close() {
      raw.close();
    }
  }
}
