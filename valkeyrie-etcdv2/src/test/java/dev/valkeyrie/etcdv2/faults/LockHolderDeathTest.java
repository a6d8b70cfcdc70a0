package dev.valkeyrie.etcdv2.faults;

import static dev.valkeyrie.etcdv2.TestSupport.figure;
import static dev.valkeyrie.etcdv2.TestSupport.millisSince;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.etcd.launcher.EtcdCluster;
import dev.valkeyrie.etcdv2.EtcdV2Store;
import dev.valkeyrie.store.KeyEvent;
import dev.valkeyrie.store.Lease;
import dev.valkeyrie.store.LockOptions;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.store.Watch;
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
 * The holder of a lock goes away, and a waiter in another store takes over: after the holder's
 * process is killed (once etcd expires the lock at the end of its TTL), and after its store is
 * closed (the store deletes the lock: nobody waits for the TTL). How long the waiter waited is a
 * figure, not an assertion.
 */
class LockHolderDeathTest {
  @RegisterExtension
  static final EtcdClusterExtension ETCD =
      EtcdClusterExtension.of(EtcdCluster.builder().members(1).name("holder-death"));

  private static final Duration CHILD_START_LIMIT = Duration.ofSeconds(40);

  /** How long a waiter waits for the lock ({@code tryLock}); it gives up by itself after that. */
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  /** Liveness guard on a waiter: its patience, plus a margin, only to catch a hang. */
  private static final long WAITER_GUARD_SECONDS = PATIENCE.toSeconds() + 30;

  private static Path classPathCopy;
  private static String childClassPath;

  /**
   * The child JVMs get a copy of the test class path's directories: the checkout is shared, a build
   * running meanwhile rewrites {@code target/classes}, and a child loads its classes seconds after
   * this JVM loaded the same ones.
   */
  // The separator is a literal character, and String.split dropping trailing empty entries is
  // wanted: an empty entry would name the working directory.
  @SuppressWarnings("StringSplitter")
  @BeforeAll
  static void copyClassPath() throws IOException {
    classPathCopy = Files.createTempDirectory("valkeyrie-lock-holder-cp-");
    List<String> entries = new ArrayList<>();
    int n = 0;
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
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
  void aWaiterAcquiresOnceTheTtlRunsOutAfterTheHoldersProcessIsKilled() throws Exception {
    String key = "holder-death/killed";
    long ttlSeconds = 3;
    LockOptions options = LockOptions.builder().ttl(Duration.ofSeconds(ttlSeconds)).build();
    try (Holder holder = Holder.start(key, ttlSeconds);
        Store waiting = EtcdV2Store.open(ETCD.endpoints(), null)) {
      long holderToken = holder.awaitLocked();
      CompletableFuture<Optional<Lease>> waiter = startWaiter(waiting, key, options);
      try (Watch<KeyEvent> lock = watchLock(waiting, key)) {
        holder.kill();
        long killedAt = System.nanoTime();

        Optional<Lease> lease = waiter.get(WAITER_GUARD_SECONDS, TimeUnit.SECONDS);
        long waited = millisSince(killedAt);
        figure(
            "holder death: waiter acquired %d ms after the holder's process was killed"
                + " (TTL %d s)",
            waited, ttlSeconds);
        assertThat(lease).isPresent();
        assertThat(removal(lock))
            .as("how the killed holder's lock went")
            .isEqualTo(KeyEvent.Kind.EXPIRED);
        assertThat(lease.get().fencingToken()).isGreaterThan(holderToken);
        lease.get().close();
      }
    }
  }

  // Closing the holder inside its try is the scenario; the try still closes it if an earlier
  // step fails.
  @SuppressWarnings("try")
  @Test
  void aWaiterAcquiresWithoutWaitingForTheTtlWhenTheHoldersStoreIsClosed() throws Exception {
    String key = "holder-death/closed";
    LockOptions options = LockOptions.builder().ttl(Duration.ofSeconds(20)).build();
    try (Store waiting = EtcdV2Store.open(ETCD.endpoints(), null);
        Store holding = EtcdV2Store.open(ETCD.endpoints(), null)) { // close() is idempotent
      Lease held = holding.newLock(key, options).lock();
      CompletableFuture<Optional<Lease>> waiter = startWaiter(waiting, key, options);
      try (Watch<KeyEvent> lock = watchLock(waiting, key)) {
        long closedAt = System.nanoTime();
        holding.close();

        Optional<Lease> lease = waiter.get(WAITER_GUARD_SECONDS, TimeUnit.SECONDS);
        long waited = millisSince(closedAt);
        figure(
            "holder death: waiter acquired %d ms after the holder's store was closed"
                + " (TTL 20 s)",
            waited);
        assertThat(held.released()).isDone();
        assertThat(lease).isPresent();
        assertThat(removal(lock))
            .as("how the closed store's lock went")
            .isEqualTo(KeyEvent.Kind.DELETED);
        lease.get().close();
      }
    }
  }

  @Test
  void aWaiterAcquiresWithoutWaitingForTheTtlWhenTheHoldersProcessClosesItsStoreAndExits()
      throws Exception {
    String key = "holder-death/exited";
    LockOptions options = LockOptions.builder().ttl(Duration.ofSeconds(20)).build();
    try (Holder holder = Holder.start(key, 20);
        Store waiting = EtcdV2Store.open(ETCD.endpoints(), null)) {
      holder.awaitLocked();
      CompletableFuture<Optional<Lease>> waiter = startWaiter(waiting, key, options);
      try (Watch<KeyEvent> lock = watchLock(waiting, key)) {
        long askedAt = System.nanoTime();
        holder.closeInput(); // the holder closes its store, then exits

        Optional<Lease> lease = waiter.get(WAITER_GUARD_SECONDS, TimeUnit.SECONDS);
        long waited = millisSince(askedAt);
        figure(
            "holder death: waiter acquired %d ms after the holder process was told to close"
                + " its store (TTL 20 s)",
            waited);
        assertThat(lease).isPresent();
        assertThat(removal(lock))
            .as("how the exiting holder's lock went")
            .isEqualTo(KeyEvent.Kind.DELETED);
        assertThat(holder.awaitExit()).as("the holder's exit code").isZero();
        lease.get().close();
      }
    }
  }

  /** Starts a thread waiting for the lock, and returns once etcd sees it watching the side key. */
  private static CompletableFuture<Optional<Lease>> startWaiter(
      Store store, String key, LockOptions options) throws IOException {
    String endpoint = ETCD.cluster().member(0).clientEndpoint();
    CompletableFuture<Optional<Lease>> waiter =
        FaultSupport.startWaiter(store, endpoint, key, options, PATIENCE);
    assertThat(waiter).as("the waiter while the holder lives").isNotDone();
    return waiter;
  }

  /** Watches the side key of the lock on {@code key}, which is held now; see {@link #removal}. */
  private static Watch<KeyEvent> watchLock(Store store, String key) {
    return store.watchEvents(key + "___lock");
  }

  /**
   * How the held lock went away: {@code DELETED} by its holder's store, or {@code EXPIRED} by etcd
   * at the end of its TTL. Bounded by the waiter's patience, to catch a hang.
   */
  private static KeyEvent.Kind removal(Watch<KeyEvent> lock) throws InterruptedException {
    return FaultSupport.pollUntil(lock, KeyEvent::isRemoval, PATIENCE).kind();
  }

  /** A child JVM running {@link LockHolderMain}. */
  private static final class Holder implements AutoCloseable {
    private final Process process;
    private final Path errors;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private Holder(Process process, Path errors) {
      this.process = process;
      this.errors = errors;
      Thread reader = new Thread(this::readLines, "faults-holder-stdout");
      reader.setDaemon(true);
      reader.start();
    }

    static Holder start(String key, long ttlSeconds) throws IOException {
      Path errors = Files.createTempFile("valkeyrie-lock-holder-", ".err");
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
                  LockHolderMain.class.getName(),
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
