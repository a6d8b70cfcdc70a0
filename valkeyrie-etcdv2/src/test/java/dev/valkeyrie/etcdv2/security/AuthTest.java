package dev.valkeyrie.etcdv2.security;

import static dev.valkeyrie.etcdv2.TestSupport.figure;
import static dev.valkeyrie.etcdv2.TestSupport.millisSince;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.etcd.launcher.EtcdAuth;
import dev.valkeyrie.etcd.launcher.EtcdCluster;
import dev.valkeyrie.etcdv2.EtcdV2Config;
import dev.valkeyrie.etcdv2.EtcdV2Store;
import dev.valkeyrie.store.AccessDeniedException;
import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.store.Watch;
import dev.valkeyrie.store.WatchClosedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * etcd's v2 auth with a root user, a role limited to {@code /app/*}, and users alice and bob in
 * that role; guest access revoked. etcd answers every refusal alike (401, error 110), whether the
 * password is wrong or the key is forbidden. Each authenticated request costs etcd a bcrypt check
 * (about 65 ms), so these tests make few requests.
 */
class AuthTest {
  // Debug level: the member logs every request it gets, so a test can count what a store sent.
  @RegisterExtension
  static final EtcdClusterExtension ETCD =
      EtcdClusterExtension.of(EtcdCluster.builder().name("auth").extraArgs("--log-level=debug"));

  private static final String ROOT_PASSWORD = "root-" + UUID.randomUUID();
  private static final String ALICE_PASSWORD = "alice-" + UUID.randomUUID();
  private static final String BOB_PASSWORD = "bob-" + UUID.randomUUID();
  private static final EtcdAuth AUTH =
      EtcdAuth.withRootPassword(ROOT_PASSWORD)
          .role("app", "/app/*")
          .user("alice", ALICE_PASSWORD, "app")
          .user("bob", BOB_PASSWORD, "app");

  @BeforeAll
  static void enableAuth() {
    AUTH.enable(ETCD.cluster());
  }

  private static EtcdV2Config as(String user, String password) {
    return EtcdV2Config.builder()
        .username(user)
        .password(password)
        .requestTimeout(Duration.ofSeconds(5))
        .watchIdleTimeout(Duration.ofSeconds(2))
        .build();
  }

  private static byte[] utf8(String text) {
    return text.getBytes(UTF_8);
  }

  @Test
  void aliceCanPutGetAndListUnderHerPrefix() {
    EtcdV2Config config = as("alice", ALICE_PASSWORD);
    try (Store alice = EtcdV2Store.open(ETCD.endpoints(), config)) {
      alice.put("app/config/a", utf8("1"));
      alice.put("app/config/b", utf8("2"));

      assertThat(alice.get("app/config/a").valueAsString()).isEqualTo("1");
      assertThat(alice.list("app/config"))
          .extracting(KVPair::key)
          .containsExactly("app/config/a", "app/config/b");
      assertThat(alice.toString()).doesNotContain(ALICE_PASSWORD);
      assertThat(config.toString()).doesNotContain(ALICE_PASSWORD);
    }
  }

  @Test
  void aKeyOutsideHerPrefixIsAccessDeniedNamingTheKeyAndTheUser() {
    try (Store alice = EtcdV2Store.open(ETCD.endpoints(), as("alice", ALICE_PASSWORD))) {
      Throwable write = catchThrowable(() -> alice.put("other/x", utf8("no")));
      Throwable read = catchThrowable(() -> alice.get("other/x"));

      for (Throwable refused : List.of(write, read)) {
        assertThat(refused)
            .isInstanceOf(AccessDeniedException.class)
            .hasMessageContaining("other/x")
            .hasMessageContaining("alice");
        assertNoSecretIn(refused, ALICE_PASSWORD, credentials("alice", ALICE_PASSWORD));
      }
    }
  }

  @Test
  void aWrongPasswordIsAccessDeniedAndNeverShown() {
    String wrong = "wrong-" + UUID.randomUUID();
    EtcdV2Config config = as("alice", wrong);
    try (Store alice = EtcdV2Store.open(ETCD.endpoints(), config)) {
      Throwable refused = catchThrowable(() -> alice.get("app/config/a"));

      assertThat(refused)
          .isInstanceOf(AccessDeniedException.class)
          .hasMessageContaining("app/config/a")
          .hasMessageContaining("alice");
      assertNoSecretIn(refused, wrong, credentials("alice", wrong));
      assertThat(alice.toString()).doesNotContain(wrong);
      assertThat(config.toString())
          .doesNotContain(wrong)
          .doesNotContain(credentials("alice", wrong));
    }
  }

  @Test
  void aWatchOutsideHerPrefixIsRefusedAtOnce() {
    try (Store alice = EtcdV2Store.open(ETCD.endpoints(), as("alice", ALICE_PASSWORD))) {
      long start = System.nanoTime();
      Throwable refused = catchThrowable(() -> alice.watch("other/watched").close());
      figure(
          "auth: a watch outside the user's prefix refused %d ms after the call",
          millisSince(start));

      // The watch's first read is refused: watch() itself throws, as any call may.
      assertThat(refused)
          .isInstanceOf(AccessDeniedException.class)
          .hasMessageContaining("other/watched")
          .hasMessageContaining("alice");
      // At once: that one read, not retried. etcd logs a request before it handles it, so every
      // request of the call is in the log once the call has returned.
      assertThat(ETCD.cluster().member(0).loggedRequests())
          .filteredOn(r -> r.is("GET", "/v2/keys/other/watched"))
          .as("requests etcd got for the watch's key")
          .hasSize(1);
    }
  }

  @Test
  void aWatchWhoseAccessIsRevokedEndsWithWatchClosedCausedByAccessDenied() throws Exception {
    try (Store root = EtcdV2Store.open(ETCD.endpoints(), as("root", ROOT_PASSWORD));
        Store bob = EtcdV2Store.open(ETCD.endpoints(), as("bob", BOB_PASSWORD))) {
      root.put("app/bob/watched", utf8("before"));
      try (Watch<KVPair> watch = bob.watch("app/bob/watched")) {
        assertThat(watch.take().valueAsString()).isEqualTo("before");
        assertEndsWhenAccessIsRevoked(watch, root);
      }
    }
  }

  private static void assertEndsWhenAccessIsRevoked(Watch<KVPair> watch, Store root)
      throws InterruptedException {
    AUTH.revokeRole(ETCD.cluster(), "bob", "app");
    root.put("app/bob/watched", utf8("after")); // ends the open long poll; the next is refused

    // The watch may still deliver the change its open poll saw, then must end, not retry.
    List<String> delivered = new ArrayList<>();
    WatchClosedException closed = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (closed == null && System.nanoTime() < deadline) {
      try {
        KVPair update = watch.poll(Duration.ofMillis(500));
        if (update != null) {
          delivered.add(update.valueAsString());
        }
      } catch (WatchClosedException e) {
        closed = e;
      }
    }
    assertThat(closed).as("the watch ended (delivered %s)", delivered).isNotNull();
    assertThat(closed.getCause())
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("bob");
    assertThat(watch.isClosed()).isTrue();
    assertThat(delivered).isSubsetOf("after");
    assertNoSecretIn(closed, BOB_PASSWORD, credentials("bob", BOB_PASSWORD));
  }

  private static String credentials(String user, String password) {
    return Base64.getEncoder().encodeToString((user + ":" + password).getBytes(UTF_8));
  }

  /** Neither the message nor any cause's message or toString holds the secrets. */
  private static void assertNoSecretIn(Throwable thrown, String... secrets) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      for (String secret : secrets) {
        assertThat(String.valueOf(t.getMessage())).doesNotContain(secret);
        assertThat(t.toString()).doesNotContain(secret);
      }
    }
  }
}
