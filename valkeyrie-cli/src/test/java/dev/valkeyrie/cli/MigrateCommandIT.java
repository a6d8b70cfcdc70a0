package dev.valkeyrie.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.valkeyrie.etcdv3.EtcdV3Store;
import dev.valkeyrie.store.WriteOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** migrate through bin/valkeyrie, on the v2 and v3 key spaces of one etcd member. */
class MigrateCommandIT extends AgainstEtcd {
  private static final AtomicInteger NEXT = new AtomicInteger();
  private static EtcdV3Store v3;

  @BeforeAll
  static void openV3() {
    v3 = EtcdV3Store.open(List.of(endpoint), null);
  }

  @AfterAll
  static void closeV3() {
    v3.close();
  }

  private static String tree() {
    String prefix = "cli-mig-" + NEXT.incrementAndGet();
    store.put(prefix + "/config/greeting", "hello".getBytes(UTF_8));
    store.put(prefix + "/services/web/1", "10.0.0.1:8080".getBytes(UTF_8));
    store.put(
        prefix + "/services/web/2",
        "10.0.0.2:8080".getBytes(UTF_8),
        WriteOptions.builder().ttl(Duration.ofMinutes(10)).build());
    store.put(prefix + "/empty", null, WriteOptions.builder().isDir(true).build());
    return prefix;
  }

  private static Cli migrate(String prefix, String... more) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of("migrate", "--from", endpoint, "--to", endpoint, "--prefix", prefix));
    args.addAll(List.of(more));
    return Cli.of(args.toArray(String[]::new));
  }

  @Test
  void copyThenVerifyExitsZero() {
    String prefix = tree();
    Cli.Result copy = migrate(prefix).run();
    assertThat(copy.exitCode()).as(copy.toString()).isZero();
    assertThat(copy.stdout()).contains("8 keys written (1 with a TTL on 1 leases)");
    assertThat(v3.get(prefix + "/config/greeting").valueAsString()).isEqualTo("hello");

    Cli.Result verify = migrate(prefix, "--verify").run();
    assertThat(verify.exitCode()).as(verify.toString()).isZero();
    assertThat(verify.stdout()).startsWith("v2 and v3 match: 8 keys");
  }

  @Test
  void verifyPrintsEachDifferenceAndExitsOne() {
    String prefix = tree();
    assertThat(migrate(prefix).run().exitCode()).isZero();
    v3.put(prefix + "/config/greeting", "tampered".getBytes(UTF_8), null);
    v3.delete(prefix + "/services/web/1");

    Cli.Result verify = migrate(prefix, "--verify").run();
    assertThat(verify.exitCode()).as(verify.toString()).isEqualTo(1);
    assertThat(verify.stdoutLines())
        .containsExactly(
            "value differs     "
                + prefix
                + "/config/greeting: v2: a value of 5 bytes, v3: a value of 8 bytes",
            "missing in target " + prefix + "/services/web/1: a value of 13 bytes in v2 only",
            "2 difference(s) in 8 keys"
                + verify.stdoutLines().get(2).substring("2 difference(s) in 8 keys".length()));
  }

  @Test
  void verifyInJsonPrintsOneObjectPerDifference() {
    String prefix = tree();
    Cli.Result verify = migrate(prefix, "--verify", "-o", "json").run();
    assertThat(verify.exitCode()).as(verify.toString()).isEqualTo(1);
    assertThat(verify.stdoutLines())
        .filteredOn(line -> line.startsWith("{\"event\":\"difference\""))
        .hasSize(8)
        .allMatch(line -> line.contains("\"kind\":\"missing_in_target\""));
    assertThat(verify.stdoutLines().get(verify.stdoutLines().size() - 1))
        .startsWith("{\"event\":\"verified\",\"match\":false,\"keys\":8,\"differences\":8,");
  }

  @Test
  void dryRunSaysWhatACopyWouldWriteAndWritesNothing() {
    String prefix = tree();
    Cli.Result dry = migrate(prefix, "--dry-run").run();
    assertThat(dry.exitCode()).as(dry.toString()).isZero();
    assertThat(dry.stdout())
        .contains("8 keys in v2; would write 8 (1 with a TTL on 1 leases), delete 0");
    assertThat(v3.exists(prefix)).isFalse();
  }

  @Test
  void aTargetHoldingKeysItDidNotWriteIsRefusedWithExitOne() {
    String prefix = tree();
    v3.put(prefix + "/config/greeting", "already here".getBytes(UTF_8), null);
    Cli.Result copy = migrate(prefix).run();
    assertThat(copy.exitCode()).as(copy.toString()).isEqualTo(1);
    assertThat(copy.stderr()).contains("did not write").contains(prefix + "/config/greeting");
    assertThat(v3.exists(prefix + "/services/web/1")).isFalse();
  }

  @Test
  void followInJsonAppliesChangesAndSigtermEndsItWithZero() {
    String prefix = tree();
    try (Cli.Running follow = migrate(prefix, "--follow", "-o", "json").start()) {
      follow.awaitStdout(line -> line.startsWith("{\"event\":\"copied\""));
      store.put(prefix + "/config/greeting", "changed".getBytes(UTF_8));
      store.delete(prefix + "/services/web/1");
      follow.awaitStdout(
          line -> line.startsWith("{\"event\":\"progress\",\"phase\":\"following\",\"done\":2,"));
      assertThat(v3.get(prefix + "/config/greeting").valueAsString()).isEqualTo("changed");
      assertThat(v3.exists(prefix + "/services/web/1")).isFalse();

      follow.signal("TERM");
      Cli.Result result = follow.awaitExit();
      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(result.stdoutLines().get(result.stdoutLines().size() - 1))
          .startsWith("{\"event\":\"stopped\",")
          .contains("\"changesApplied\":2");
    }
    Cli.Result verify = migrate(prefix, "--verify").run();
    assertThat(verify.exitCode()).as(verify.toString()).isZero();
  }

  @Test
  void copyInJsonPrintsAProgressObjectPerStepThenTheResult() {
    String prefix = tree();
    Cli.Result copy = migrate(prefix, "-o", "json").run();
    assertThat(copy.exitCode()).as(copy.toString()).isZero();
    assertThat(copy.stdoutLines())
        .anyMatch(line -> line.startsWith("{\"event\":\"progress\",\"phase\":\"copying\","))
        .last()
        .asString()
        .startsWith("{\"event\":\"copied\",")
        .contains("\"puts\":8");
  }
}
