package dev.valkeyrie.etcdv3;

import static dev.valkeyrie.etcdv3.LockTestSupport.lockKeys;
import static dev.valkeyrie.etcdv3.TestSupport.figure;
import static dev.valkeyrie.etcdv3.TestSupport.millisSince;
import static dev.valkeyrie.etcdv3.TestSupport.onThread;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.etcd.launcher.EtcdCluster;
import dev.valkeyrie.store.Lease;
import dev.valkeyrie.store.LockOptions;
import dev.valkeyrie.store.Store;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The holder of a lock goes away and a waiter in another store takes over: after the holder's
 * process is killed (SIGKILL: its lease is no longer renewed and expires), after its store is
 * closed (at once: the lease is revoked), and after its process closes its store and exits.
 */
class MutexHolderDeathTest {
  @RegisterExtension
  static final EtcdClusterExtension ETCD =
      EtcdClusterExtension.of(EtcdCluster.builder().members(1).name("v3-holder-death"));

  private static final Duration CHILD_START_LIMIT = Duration.ofSeconds(60);

  private static Path classPathCopy;
  private static String childClassPath;

  /**
   * The child JVMs get a copy of the test class path's directories: a build running meanwhile in
   * the same checkout rewrites {@code target/classes}.
   */
  @BeforeAll
  static void copyClassPath() throws IOException {
    classPathCopy = Files.createTempDirectory("valkeyrie-v3-lock-holder-cp-");
    List<String> entries = new ArrayList<>();
    int n = 0;
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator, -1)) {
      if (entry.isEmpty()) {
        continue; // not a class path entry (a split that keeps empty strings)
      }
      Path source = Path.of(entry);
      if (Files.isDirectory(source)) {
        Path target = classPathCopy.resolve("dir" + n++);
        copyTree(source, target);
        entries.add(target.toString());
      } else {
        entries.add(entry);
      }
    }
    childClassPath = String.join(File.pathSeparator, entries);
  }

  @AfterAll
  static void deleteClassPathCopy() throws IOException {
    if (classPathCopy != null) {
      try (Stream<Path> paths = Files.walk(classPathCopy)) {
        for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(path);
        }
      }
    }
  }

  private static void copyTree(Path source, Path target) throws IOException {
    try (Stream<Path> paths = Files.walk(source)) {
      for (Path path : paths.toList()) {
        Path copy = target.resolve(source.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(copy);
        } else {
          try {
            Files.copy(path, copy, StandardCopyOption.REPLACE_EXISTING);
          } catch (NoSuchFileException e) {
            // removed by a concurrent build since the walk listed it
          }
        }
      }
    }
  }

  @Test
  void aWaiterAcquiresAfterTheLeaseOfAKilledHoldersProcessExpires() throws Exception {
    String key = "holder-death/killed";
    long ttlSeconds = 3;
    LockOptions options = LockOptions.builder().ttl(Duration.ofSeconds(ttlSeconds)).build();
    try (Holder holder = Holder.start(key, ttlSeconds);
        EtcdV3Store waiting = EtcdV3Store.open(ETCD.endpoints(), null)) {
      long holderToken = holder.awaitLocked();
      CompletableFuture<Optional<Lease>> waiter = startWaiter(waiting, key, options);

      holder.kill();
      long killedAt = System.nanoTime();

      Optional<Lease> lease = waiter.get(ttlSeconds + 30, TimeUnit.SECONDS);
      figure(
          "holder death: waiter acquired %d ms after the holder's process was killed"
              + " (TTL %d s)",
          millisSince(killedAt), ttlSeconds);
      assertThat(lease).isPresent();
      assertThat(lease.get().fencingToken()).isGreaterThan(holderToken);
      lease.get().close();
    }
  }

  @Test
  // The test is about closing the holder's store inside its try block (close() is idempotent).
  @SuppressWarnings("try")
  void aWaiterAcquiresAtOnceWhenTheHoldersStoreIsClosed() throws Exception {
    String key = "holder-death/closed";
    LockOptions options = LockOptions.builder().ttl(Duration.ofSeconds(20)).build();
    try (EtcdV3Store waiting = EtcdV3Store.open(ETCD.endpoints(), null);
        Store holding = EtcdV3Store.open(ETCD.endpoints(), null)) { // close() is idempotent
      Lease held = holding.newLock(key, options).lock();
      CompletableFuture<Optional<Lease>> waiter = startWaiter(waiting, key, options);

      long closedAt = System.nanoTime();
      holding.close();

      Optional<Lease> lease = waiter.get(30, TimeUnit.SECONDS);
      figure(
          "holder death: waiter acquired %d ms after the holder's store was closed" + " (TTL 20 s)",
          millisSince(closedAt));
      assertThat(held.released()).isDone();
      assertThat(lease).isPresent();
      lease.get().close();
    }
  }

  @Test
  void aWaiterAcquiresWhenTheHoldersProcessClosesItsStoreAndExits() throws Exception {
    String key = "holder-death/exited";
    LockOptions options = LockOptions.builder().ttl(Duration.ofSeconds(20)).build();
    try (Holder holder = Holder.start(key, 20);
        EtcdV3Store waiting = EtcdV3Store.open(ETCD.endpoints(), null)) {
      holder.awaitLocked();
      CompletableFuture<Optional<Lease>> waiter = startWaiter(waiting, key, options);

      long askedAt = System.nanoTime();
      holder.closeInput(); // the holder closes its store, then exits

      Optional<Lease> lease = waiter.get(30, TimeUnit.SECONDS);
      figure(
          "holder death: waiter acquired %d ms after the holder process was told to close"
              + " its store (TTL 20 s)",
          millisSince(askedAt));
      assertThat(lease).isPresent();
      assertThat(holder.awaitExit()).as("the holder's exit code").isZero();
      lease.get().close();
    }
  }

  /** Starts a waiter on its own thread; returns once its key is queued behind the holder's. */
  private static CompletableFuture<Optional<Lease>> startWaiter(
      EtcdV3Store store, String key, LockOptions options) {
    CompletableFuture<Optional<Lease>> waiter =
        onThread("waiter", () -> store.newLock(key, options).tryLock(Duration.ofSeconds(60)));
    await("the waiter queued")
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> lockKeys(store, key).size() == 2);
    assertThat(waiter).as("the waiter while the holder lives").isNotDone();
    return waiter;
  }

  /** A child JVM running {@link MutexHolderMain}. */
  private static final class Holder implements AutoCloseable {
    private final Process process;
    private final Path errors;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private Holder(Process process, Path errors) {
      this.process = process;
      this.errors = errors;
      Thread reader = new Thread(this::readLines, "test-holder-stdout");
      reader.setDaemon(true);
      reader.start();
    }

    static Holder start(String key, long ttlSeconds) throws IOException {
      Path errors = Files.createTempFile("valkeyrie-v3-lock-holder-", ".err");
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      ProcessBuilder builder =
          new ProcessBuilder(
              List.of(
                  java,
                  "-Xmx64m",
                  "-XX:+UseSerialGC",
                  "-XX:TieredStopAtLevel=1",
                  "-cp",
                  childClassPath,
                  MutexHolderMain.class.getName(),
                  ETCD.endpoints().get(0),
                  key,
                  Long.toString(ttlSeconds)));
      builder.redirectError(errors.toFile());
      try {
        return new Holder(builder.start(), errors);
      } catch (IOException | RuntimeException e) {
        Files.deleteIfExists(errors);
        throw e;
      }
    }

    private void readLines() {
      try (BufferedReader in =
          new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          lines.add(line);
        }
      } catch (IOException e) {
        // the process is gone
      }
    }

    /** Waits for {@code LOCKED <token>} and returns the token. */
    long awaitLocked() throws InterruptedException, IOException {
      long deadline = System.nanoTime() + CHILD_START_LIMIT.toNanos();
      while (System.nanoTime() < deadline) {
        String line = lines.poll(200, TimeUnit.MILLISECONDS);
        if (line != null && line.startsWith("LOCKED ")) {
          return Long.parseLong(line.substring("LOCKED ".length()).trim());
        }
        if (line == null && !process.isAlive() && lines.isEmpty()) {
          throw new AssertionError(
              "the lock holder exited with "
                  + process.exitValue()
                  + " before locking; stderr: "
                  + Files.readString(errors));
        }
      }
      throw new AssertionError(
          "the lock holder did not lock within "
              + CHILD_START_LIMIT
              + "; stderr: "
              + Files.readString(errors));
    }

    /** SIGKILL, and waits until the process is gone. */
    void kill() throws InterruptedException {
      process.destroyForcibly();
      assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("the holder died").isTrue();
    }

    void closeInput() throws IOException {
      process.getOutputStream().close();
    }

    int awaitExit() throws InterruptedException, IOException {
      assertThat(process.waitFor(20, TimeUnit.SECONDS))
          .as("the holder exited; stderr: %s", Files.readString(errors))
          .isTrue();
      return process.exitValue();
    }

    @Override
    public void close() throws IOException {
      try {
        process.destroyForcibly();
        process.waitFor(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        Files.deleteIfExists(errors);
      }
    }
  }
}
