package dev.valkeyrie.migrate;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.etcdv2.EtcdV2Store;
import dev.valkeyrie.etcdv3.EtcdV3Store;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A migration process killed (SIGKILL) while following under writes, then resumed. */
class KilledMigrationTest {
  @RegisterExtension static final EtcdClusterExtension ETCD = EtcdClusterExtension.members(1);

  @Test
  void aMigrationKilledWhileFollowingResumesWhereItWas() throws Exception {
    String prefix = Trees.prefix("killed");
    String endpoint = ETCD.endpoints().get(0);
    try (EtcdV2Store v2 = EtcdV2Store.open(ETCD.endpoints(), null);
        EtcdV3Store v3 = EtcdV3Store.open(ETCD.endpoints(), null)) {
      Trees.writeMixed(v2, prefix);
      // Bounded writes: 300 while the child follows, 200 more while it is dead. 500 changes stay
      // inside etcd's 1,000-event window, so the resumed migration must continue from the index it
      // recorded (past the window it would reconcile by a repair copy, another path, tested in
      // FollowTest), however fast this machine writes.
      AtomicLong writes = new AtomicLong();
      Process child = start(endpoint, prefix);
      List<String> lines = new CopyOnWriteArrayList<>();
      Thread reader = new Thread(() -> read(child, lines), "test-migration-stdout");
      reader.setDaemon(true);
      reader.start();
      CompletableFuture<Void> writer = CompletableFuture.completedFuture(null);
      try {
        await().atMost(Duration.ofSeconds(60)).until(() -> lines.contains("following"));
        writer =
            CompletableFuture.runAsync(() -> write(v2, prefix, writes, WRITES_WHILE_FOLLOWING));
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> lines.stream().filter(l -> l.startsWith("applied")).count() >= 50);
        child.destroyForcibly(); // SIGKILL: no clean stop
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      } finally {
        writer.join();
        child.destroyForcibly();
      }
      write(v2, prefix, writes, WRITES_WHILE_DEAD);
      try (Migration migration = Migration.builder().source(v2).target(v3).prefix(prefix).build()) {
        assertThat(migration.hasCompletedCopy()).isTrue();
        try (Following following = Following.start(migration)) {
          following.awaitInStep();
          FollowResult result = following.stop();
          assertThat(result.reconciliations()).isZero();
          assertThat(result.changesApplied()).isPositive();
        }
        assertThat(migration.verify().differences()).isEmpty();
      }
    }
  }

  private static final int WRITES_WHILE_FOLLOWING = 300;
  private static final int WRITES_WHILE_DEAD = 200;

  private static void write(EtcdV2Store v2, String prefix, AtomicLong writes, int count) {
    for (int i = 0; i < count; i++) {
      long n = writes.incrementAndGet();
      v2.put(prefix + "/load/" + (n % 40), ("write " + n).getBytes(UTF_8), null);
    }
  }

  private static Process start(String endpoint, String prefix) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder =
        new ProcessBuilder(
            java,
            "-Xmx128m",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            System.getProperty("java.class.path"),
            MigrationMain.class.getName(),
            endpoint,
            endpoint,
            prefix);
    builder.redirectError(ProcessBuilder.Redirect.DISCARD);
    return builder.start();
  }

  private static void read(Process child, List<String> lines) {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(child.getInputStream(), UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lines.add(line);
      }
    } catch (java.io.IOException e) {
      // the child was killed
    }
  }
}
