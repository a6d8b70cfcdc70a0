package dev.valkeyrie.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.valkeyrie.store.Lease;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** lock through bin/valkeyrie: holders taking turns, exit codes, a lost lock, signals. */
class LockCommandIT extends AgainstEtcd {

  private static Cli lock(String key, String... optionsThenCommand) {
    String[] args = new String[optionsThenCommand.length + 4];
    args[0] = "lock";
    args[1] = key;
    args[2] = "--endpoints";
    args[3] = endpoint;
    System.arraycopy(optionsThenCommand, 0, args, 4, optionsThenCommand.length);
    return Cli.of(args);
  }

  /** The lock is free: another holder gets it at once. */
  private static void assertFree(String key) throws InterruptedException {
    Optional<Lease> lease = store.newLock(key, null).tryLock(Duration.ofSeconds(5));
    assertThat(lease).as("lock on " + key + " is free").isPresent();
    lease.get().close();
  }

  private static void awaitNoWatchers() {
    await("no watch left on etcd").atMost(Cli.TIMEOUT).until(() -> etcdWatchers() == 0);
  }

  /** How many watches etcd serves right now (its v2 store statistics). */
  private static int etcdWatchers() throws IOException {
    try (InputStream in = URI.create(endpoint + "/v2/stats/store").toURL().openStream()) {
      Matcher m =
          Pattern.compile("\"watchers\":(\\d+)")
              .matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }
  }

  private static List<String> lines(Path file) throws IOException {
    return Files.exists(file) ? Files.readAllLines(file) : List.of();
  }

  @Test
  void twoConcurrentHoldersTakeTurns(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("log");
    Path release = dir.resolve("release");
    String holder =
        "echo \"$0 start $VALKEYRIE_LOCK_FENCING_TOKEN\" >> "
            + log
            + "; echo $0 ready;"
            + " while [ ! -e "
            + release
            + " ]; do sleep 0.05; done; echo \"$0 end\" >> "
            + log;

    try (Cli.Running a = lock("jobs/nightly", "--", "sh", "-c", holder, "A").start()) {
      a.awaitStdout("A ready"::equals);

      Cli.Result impatient =
          lock("jobs/nightly", "--timeout", "1s", "--", "sh", "-c", "echo ran").run();
      assertThat(impatient.exitCode()).as(impatient.toString()).isEqualTo(1);
      assertThat(impatient.stdout()).isEmpty();
      assertThat(impatient.stderr()).contains("'jobs/nightly' was not acquired within 1s");

      awaitNoWatchers(); // the impatient holder's watch is gone
      try (Cli.Running b = lock("jobs/nightly", "--", "sh", "-c", holder, "B").start()) {
        await("B watches the lock, waiting for its release")
            .atMost(Cli.TIMEOUT)
            .until(() -> etcdWatchers() > 0);
        assertThat(b.isAlive()).isTrue();
        assertThat(lines(log)).hasSize(1);

        Files.createFile(release);
        Cli.Result first = a.awaitExit();
        Cli.Result second = b.awaitExit();

        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(second.exitCode()).as(second.toString()).isZero();
        List<String> order = lines(log);
        assertThat(order).hasSize(4);
        assertThat(order.get(0)).startsWith("A start ");
        assertThat(order.subList(1, 4))
            .satisfiesExactly(
                line -> assertThat(line).isEqualTo("A end"),
                line -> assertThat(line).startsWith("B start "),
                line -> assertThat(line).isEqualTo("B end"));
        long tokenA = Long.parseLong(order.get(0).substring("A start ".length()));
        long tokenB = Long.parseLong(order.get(2).substring("B start ".length()));
        assertThat(tokenB).isGreaterThan(tokenA);
      }
    }
    assertFree("jobs/nightly");
  }

  @Test
  void theCommandsExitCodeIsPassedOnAndTheLockReleased() throws Exception {
    Cli.Result result =
        lock(
                "jobs/exit",
                "--value",
                "host-a",
                "--",
                "sh",
                "-c",
                "echo \"$VALKEYRIE_LOCK_KEY\"; exit 3")
            .run();

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
    assertThat(result.stdout()).isEqualTo("jobs/exit\n");
    assertThat(result.stderr()).isEmpty();
    assertThat(store.get("jobs/exit").valueAsString()).isEqualTo("host-a");
    assertFree("jobs/exit");
  }

  @Test
  void aLostLockStopsTheCommandAndExitsWithFour() throws Exception {
    try (Cli.Running holder =
        lock(
                "jobs/lost",
                "--ttl",
                "2s",
                "--grace",
                "5s",
                "--",
                "sh",
                "-c",
                "echo \"pid $$\"; exec sleep 300")
            .start()) {
      long child = Long.parseLong(holder.awaitStdout(line -> line.startsWith("pid ")).substring(4));

      store.delete("jobs/lost___lock"); // someone removes the lock: the next renewal is refused
      Cli.Result result = holder.awaitExit();

      assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.LOCK_LOST);
      assertThat(result.stderrLines())
          .hasSize(1)
          .first()
          .asString()
          .startsWith("valkeyrie: lost the lock on 'jobs/lost' while the command was running");
      assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive))
          .isNotEqualTo(Optional.of(true));
    }
  }

  @Test
  void sigintIsPassedToTheCommandAndTheLockReleasedWhenItEnds() throws Exception {
    String command = "trap 'echo got INT; exit 7' INT; echo ready; while :; do sleep 0.05; done";
    try (Cli.Running holder =
        lock("jobs/signal", "--", "sh", "-c", command).asInTerminal().start()) {
      holder.awaitStdout("ready"::equals);

      holder.signal("INT");
      Cli.Result result = holder.awaitExit();

      assertThat(result.exitCode()).as(result.toString()).isEqualTo(7);
      assertThat(result.stdoutLines()).containsExactly("ready", "got INT");
      assertThat(result.stderr()).isEmpty();
    }
    assertFree("jobs/signal");
  }

  @Test
  void ctrlCWhileWaitingGivesUpWith130WithoutRunningTheCommand(@TempDir Path dir) throws Exception {
    Path release = dir.resolve("release");
    awaitNoWatchers();
    try (Cli.Running holder =
        lock(
                "jobs/busy",
                "--",
                "sh",
                "-c",
                "echo ready; while [ ! -e " + release + " ]; do sleep 0.05; done")
            .start()) {
      holder.awaitStdout("ready"::equals);
      try (Cli.Running waiter = lock("jobs/busy", "--", "echo", "ran").asInTerminal().start()) {
        await("the waiter watches the lock, waiting for its release")
            .atMost(Cli.TIMEOUT)
            .until(() -> etcdWatchers() > 0);

        waiter.signal("INT");
        Cli.Result result = waiter.awaitExit();

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(130);
        assertThat(result.stdout()).isEmpty();
        assertThat(result.stderr()).contains("interrupted", "'jobs/busy'");
      }
      Files.createFile(release);
      assertThat(holder.awaitExit().exitCode()).isZero();
    }
  }

  @Test
  void aCommandThatDoesNotExistExitsWith127() throws Exception {
    Cli.Result result = lock("jobs/missing", "--", "/nonexistent/command").run();

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(127);
    assertThat(result.stderr())
        .isEqualTo("valkeyrie: cannot run '/nonexistent/command': No such file or directory\n");
    assertFree("jobs/missing");
  }
}
