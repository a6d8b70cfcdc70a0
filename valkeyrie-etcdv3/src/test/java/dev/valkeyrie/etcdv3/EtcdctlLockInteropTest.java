package dev.valkeyrie.etcdv3;

import static dev.valkeyrie.etcdv3.LockTestSupport.lockKeys;
import static dev.valkeyrie.etcdv3.LockTestSupport.ownKey;
import static dev.valkeyrie.etcdv3.TestSupport.onThread;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.etcdv3.LockTestSupport.Opened;
import dev.valkeyrie.etcdv3.rpc.mvcc.KeyValue;
import dev.valkeyrie.store.Lease;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The lock is etcd's own mutex on {@code <key>___lock/}, so it excludes the real {@code etcdctl
 * lock '<key>___lock'} (etcd 3.4's, API 3), and etcdctl's lock excludes it. etcdctl holds until
 * SIGINT (3.4 does not catch SIGTERM: its key would stay until its 10 s session lease expires).
 */
class EtcdctlLockInteropTest {
  @RegisterExtension static final EtcdClusterExtension ETCD = EtcdClusterExtension.members(1);

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String ETCDCTL = "/usr/bin/etcdctl";

  private Opened store;
  private String key;

  @BeforeEach
  void open(TestInfo test) {
    store = LockTestSupport.open(ETCD.endpoints(), EtcdV3Config.defaults());
    key = "interop/" + test.getTestMethod().orElseThrow().getName() + "-" + System.nanoTime();
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void whileEtcdctlHoldsTheLockTryLockFails() throws Exception {
    try (Etcdctl etcdctl = Etcdctl.lock(key + "___lock")) {
      etcdctl.awaitLocked();

      assertThat(store.store().newLock(key, null).tryLock(Duration.ofMillis(500))).isEmpty();
    }
  }

  @Test
  void aWaiterAcquiresOnceEtcdctlReleasesTheLock() throws Exception {
    try (Etcdctl etcdctl = Etcdctl.lock(key + "___lock")) {
      String etcdctlKey = etcdctl.awaitLocked();
      CompletableFuture<Lease> waiter =
          onThread("waiter", () -> store.store().newLock(key, null).lock());
      await().atMost(WAIT).until(() -> lockKeys(store.store(), key).size() == 2);
      assertThat(waiter).isNotDone();

      etcdctl.interrupt();

      Lease lease = waiter.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(lockKeys(store.store(), key))
          .extracting(kv -> kv.getKey().toStringUtf8())
          .containsExactly(ownKey(lease).toStringUtf8())
          .doesNotContain(etcdctlKey);
      lease.close();
    }
  }

  @Test
  void whileWeHoldTheLockEtcdctlWaitsBehindOurKey() throws Exception {
    Lease lease = store.store().newLock(key, null).lock();
    try (Etcdctl etcdctl = Etcdctl.lock(key + "___lock")) {

      await("etcdctl's key queued behind ours")
          .atMost(WAIT)
          .until(() -> lockKeys(store.store(), key).size() == 2);

      List<KeyValue> queue = lockKeys(store.store(), key);
      assertThat(queue.get(0).getKey()).isEqualTo(ownKey(lease));
      assertThat(etcdctl.printed()).as("etcdctl's output while we hold the lock").isEmpty();
      lease.close();
    }
  }

  @Test
  void etcdctlAcquiresOnceWeUnlock() throws Exception {
    Lease lease = store.store().newLock(key, null).lock();
    try (Etcdctl etcdctl = Etcdctl.lock(key + "___lock")) {
      await().atMost(WAIT).until(() -> lockKeys(store.store(), key).size() == 2);
      String queued = lockKeys(store.store(), key).get(1).getKey().toStringUtf8();

      lease.close();

      assertThat(etcdctl.awaitLocked()).isEqualTo(queued);
    }
  }

  /** {@code etcdctl lock <name>} in a child process, holding until SIGINT. */
  private static final class Etcdctl implements AutoCloseable {
    private final Process process;
    private final Path errors;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private Etcdctl(Process process, Path errors) {
      this.process = process;
      this.errors = errors;
      Thread reader = new Thread(this::read, "test-etcdctl-stdout");
      reader.setDaemon(true);
      reader.start();
    }

    static Etcdctl lock(String name) throws IOException {
      Path errors = Files.createTempFile("valkeyrie-etcdctl-lock-", ".err");
      ProcessBuilder builder =
          new ProcessBuilder(
              ETCDCTL, "--endpoints=" + ETCD.cluster().member(0).clientEndpoint(), "lock", name);
      builder.environment().put("ETCDCTL_API", "3");
      builder.redirectError(errors.toFile());
      return new Etcdctl(builder.start(), errors);
    }

    private void read() {
      try (BufferedReader in =
          new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          lines.add(line);
        }
      } catch (IOException e) {
        // the process is gone
      }
    }

    /** Waits until etcdctl holds the lock; returns the key it printed. */
    String awaitLocked() throws InterruptedException, IOException {
      String line = lines.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      if (line == null) {
        throw new AssertionError(
            "etcdctl did not lock within " + WAIT + "; stderr: " + Files.readString(errors));
      }
      return line.trim();
    }

    List<String> printed() {
      return List.copyOf(lines);
    }

    /** SIGINT: etcdctl unlocks, then exits. */
    void interrupt() throws IOException, InterruptedException {
      Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start();
      assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("etcdctl exited after SIGINT").isTrue();
    }

    @Override
    public void close() throws IOException {
      // Interrupts are kept, not thrown: a close() that throws InterruptedException is an
      // AutoCloseable lint warning.
      try {
        if (process.isAlive()) {
          interrupt();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        process.destroyForcibly();
        try {
          process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        Files.deleteIfExists(errors);
      }
    }
  }
}
