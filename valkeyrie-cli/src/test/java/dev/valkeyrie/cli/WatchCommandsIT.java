package dev.valkeyrie.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.valkeyrie.store.WriteOptions;
import org.junit.jupiter.api.Test;

/** watch and watch-tree through bin/valkeyrie: updates as they arrive, and Ctrl-C. */
class WatchCommandsIT extends AgainstEtcd {

  @Test
  void watchPrintsTheValueThenEachUpdateAndCtrlCEndsItWithZero() {
    store.put("watch/greeting", "hello".getBytes(UTF_8));
    long first = store.get("watch/greeting").lastIndex();

    try (Cli.Running watch =
        Cli.of("watch", "watch/greeting", "--endpoints", endpoint).asInTerminal().start()) {
      watch.awaitStdout(
          line -> line.equals("current watch/greeting = hello (index " + first + ")"));

      store.put("watch/greeting", "hello\nagain".getBytes(UTF_8));
      long second = store.get("watch/greeting").lastIndex();
      watch.awaitStdout(
          line -> line.equals("modify watch/greeting = hello\\nagain (index " + second + ")"));
      store.delete("watch/greeting");
      watch.awaitStdout(line -> line.startsWith("delete watch/greeting (index "));

      // exec java: the launched process is the JVM itself, so the signal reaches it
      assertThat(ProcessHandle.of(watch.pid()).flatMap(p -> p.info().command()))
          .hasValueSatisfying(command -> assertThat(command).endsWith("java"));
      watch.signal("INT");
      Cli.Result result = watch.awaitExit();

      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(result.stderr()).isEmpty();
      assertThat(result.stdoutLines()).hasSize(3);
    }
  }

  @Test
  void watchTreeInJsonPrintsOneObjectPerChangedKeyAndEndsOnSigterm() {
    store.put("tree/jobs", null, WriteOptions.builder().isDir(true).build());
    store.put("tree/jobs/a", "1".getBytes(UTF_8));
    store.put("tree/jobs/sub/b", "2".getBytes(UTF_8));
    long a = store.get("tree/jobs/a").lastIndex();

    try (Cli.Running watch =
        Cli.of("watch-tree", "tree/jobs", "-o", "json", "--endpoints", endpoint).start()) {
      watch.awaitStdout(
          line ->
              line.equals(
                  "{\"event\":\"current\",\"key\":\"tree/jobs/a\",\"value\":\"1\",\"index\":"
                      + a
                      + "}"));
      watch.awaitStdout(
          line ->
              line.startsWith(
                  "{\"event\":\"current\",\"key\":\"tree/jobs/sub/b\",\"value\":\"2\","));

      store.put("tree/jobs/c", "3".getBytes(UTF_8));
      long c = store.get("tree/jobs/c").lastIndex();
      watch.awaitStdout(
          line ->
              line.equals(
                  "{\"event\":\"create\",\"key\":\"tree/jobs/c\",\"value\":\"3\",\"index\":"
                      + c
                      + "}"));
      store.deleteTree("tree/jobs/sub");
      String deleted =
          watch.awaitStdout(
              line ->
                  line.startsWith("{\"event\":\"delete\",\"key\":\"tree/jobs/sub/b\",\"index\":"));
      String index = deleted.substring(deleted.lastIndexOf(':') + 1);
      watch.awaitStdout(
          line ->
              line.equals("{\"event\":\"delete\",\"key\":\"tree/jobs/sub\",\"index\":" + index));

      watch.signal("TERM");
      Cli.Result result = watch.awaitExit();

      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(result.stderr()).isEmpty();
      // current: tree/jobs/a, tree/jobs/sub (a directory), tree/jobs/sub/b; then 3 events
      assertThat(result.stdoutLines()).hasSize(6);
    }
  }

  @Test
  void watchingAMissingKeyExitsWithOne() {
    Cli.Result result = Cli.of("watch", "watch/missing", "--endpoints", endpoint).run();

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
    assertThat(result.stderrLines()).hasSize(1).first().asString().contains("not found");
  }
}
