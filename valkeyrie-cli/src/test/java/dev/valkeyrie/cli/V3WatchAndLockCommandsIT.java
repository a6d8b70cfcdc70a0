package dev.valkeyrie.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.valkeyrie.store.Lease;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** watch, watch-tree and lock through bin/valkeyrie --backend etcdv3. */
class V3WatchAndLockCommandsIT extends AgainstEtcdV3 {

  @Test
  void watchPrintsTheValueThenEachUpdateAndCtrlCEndsItWithZero() {
    store.put("watch3/greeting", "hello".getBytes(UTF_8));
    long first = store.get("watch3/greeting").lastIndex();

    try (Cli.Running watch = v3("watch", "watch3/greeting").asInTerminal().start()) {
      watch.awaitStdout(
          line -> line.equals("current watch3/greeting = hello (index " + first + ")"));
      store.put("watch3/greeting", "bonjour".getBytes(UTF_8));
      long second = store.get("watch3/greeting").lastIndex();
      watch.awaitStdout(
          line -> line.equals("modify watch3/greeting = bonjour (index " + second + ")"));
      store.delete("watch3/greeting");
      watch.awaitStdout(line -> line.startsWith("delete watch3/greeting (index "));

      watch.signal("INT");
      Cli.Result result = watch.awaitExit();

      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(result.stderr()).isEmpty();
      assertThat(result.stdoutLines()).hasSize(3);
    }
  }

  @Test
  void watchTreeInJsonPrintsTheKeysBelowThePrefixThenEachChange() {
    store.put("tree3/jobs/a", "1".getBytes(UTF_8));
    long a = store.get("tree3/jobs/a").lastIndex();

    try (Cli.Running watch = v3("watch-tree", "tree3/jobs", "-o", "json").start()) {
      watch.awaitStdout(
          line ->
              line.equals(
                  "{\"event\":\"current\",\"key\":\"tree3/jobs/a\",\"value\":\"1\",\"index\":"
                      + a
                      + "}"));
      store.put("tree3/jobs/sub/b", "2".getBytes(UTF_8));
      long b = store.get("tree3/jobs/sub/b").lastIndex();
      watch.awaitStdout(
          line ->
              line.equals(
                  "{\"event\":\"create\",\"key\":\"tree3/jobs/sub/b\",\"value\":\"2\",\"index\":"
                      + b
                      + "}"));
      store.deleteTree("tree3/jobs/sub");
      watch.awaitStdout(
          line -> line.startsWith("{\"event\":\"delete\",\"key\":\"tree3/jobs/sub/b\",\"index\":"));

      watch.signal("TERM");
      Cli.Result result = watch.awaitExit();

      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(result.stderr()).isEmpty();
      // flat: no entry for the prefix tree3/jobs/sub, only for the key below it
      assertThat(result.stdoutLines()).hasSize(3);
    }
  }

  @Test
  void lockRunsTheCommandWithTheFencingTokenAndPassesOnItsExitCode() throws Exception {
    Cli.Result result =
        v3First(
                "lock",
                "jobs3/exit",
                "--value",
                "host-a",
                "--",
                "sh",
                "-c",
                "echo \"$VALKEYRIE_LOCK_KEY $VALKEYRIE_LOCK_FENCING_TOKEN\"; exit 3")
            .run();

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
    assertThat(result.stdout()).matches("jobs3/exit [1-9][0-9]*\n");
    assertThat(result.stderr()).isEmpty();
    assertThat(store.get("jobs3/exit").valueAsString()).isEqualTo("host-a");
    Optional<Lease> free = store.newLock("jobs3/exit", null).tryLock(Duration.ofSeconds(5));
    assertThat(free).as("released").isPresent();
    free.get().close();
  }

  @Test
  void lockGivesUpWithOneWhileAnotherHolderHasIt() throws Exception {
    try (Lease held = store.newLock("jobs3/busy", null).lock()) {
      Cli.Result result =
          v3First("lock", "jobs3/busy", "--timeout", "1s", "--", "sh", "-c", "echo ran").run();

      assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
      assertThat(result.stdout()).isEmpty();
      assertThat(result.stderr()).contains("'jobs3/busy' was not acquired within 1s");
      assertThat(held.released()).isNotDone();
    }
  }

  @Test
  void aLostLockStopsTheCommandAndExitsWithFour() {
    try (Cli.Running holder =
        v3First("lock", "jobs3/lost", "--", "sh", "-c", "echo \"pid $$\"; exec sleep 300")
            .start()) {
      long child = Long.parseLong(holder.awaitStdout(line -> line.startsWith("pid ")).substring(4));

      store.deleteTree("jobs3/lost___lock"); // someone removes the holder's key
      Cli.Result result = holder.awaitExit();

      assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.LOCK_LOST);
      assertThat(result.stderrLines())
          .hasSize(1)
          .first()
          .asString()
          .startsWith("valkeyrie: lost the lock on 'jobs3/lost' while the command was running");
      assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive))
          .isNotEqualTo(Optional.of(true));
    }
  }
}
