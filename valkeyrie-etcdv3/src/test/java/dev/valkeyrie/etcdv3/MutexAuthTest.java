package dev.valkeyrie.etcdv3;

import static dev.valkeyrie.etcdv3.TestSupport.etcdctl;
import static dev.valkeyrie.etcdv3.TestSupport.onThread;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.etcd.launcher.EtcdCluster;
import dev.valkeyrie.etcdv3.LockTestSupport.Opened;
import dev.valkeyrie.store.AccessDeniedException;
import dev.valkeyrie.store.Lease;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Locks with etcd's authentication on: a user may lock inside its permissions (the key and its
 * {@code <key>___lock/} prefix; the lock's watch stream carries the token too), and a lock outside
 * them is refused with {@link AccessDeniedException} naming key and user, leaving no key behind.
 */
class MutexAuthTest {
  @RegisterExtension
  static final EtcdClusterExtension ETCD =
      EtcdClusterExtension.of(EtcdCluster.builder().name("v3-lock-auth"));

  private static final String ROOT_PASSWORD = "root-secret";
  private static final String ALICE_PASSWORD = "alice-secret";
  private static final Duration WAIT = Duration.ofSeconds(30);

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

  private static Opened as(String user, String password) {
    return LockTestSupport.open(
        ETCD.endpoints(),
        EtcdV3Config.builder()
            .username(user)
            .password(password)
            .requestTimeout(Duration.ofSeconds(5))
            .build());
  }

  @Test
  void aWaiterInsideItsPermissionsAcquiresOnceTheHolderUnlocks() throws Exception {
    try (Opened holding = as("alice", ALICE_PASSWORD);
        Opened waiting = as("alice", ALICE_PASSWORD)) {
      Lease held = holding.store().newLock("app/lk", null).lock();
      CompletableFuture<Lease> waiter =
          onThread("waiter", () -> waiting.store().newLock("app/lk", null).lock());
      await().atMost(WAIT).until(() -> waiting.locks().watches().watching() == 1);

      held.close();

      Lease lease = waiter.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(lease.fencingToken()).isGreaterThan(held.fencingToken());
      lease.close();
    }
  }

  @Test
  void aLockOutsideThePermissionsIsRefusedNamingKeyAndUserAndLeavesNoKey() {
    try (Opened alice = as("alice", ALICE_PASSWORD);
        Opened root = as("root", ROOT_PASSWORD)) {
      assertThatThrownBy(() -> alice.store().newLock("elsewhere/lk", null).lock())
          .isInstanceOf(AccessDeniedException.class)
          .hasMessageContaining("elsewhere/lk")
          .hasMessageContaining("alice")
          .hasMessageNotContaining(ALICE_PASSWORD);

      assertThat(LockTestSupport.lockKeys(root.store(), "elsewhere/lk")).isEmpty();
    }
  }
}
