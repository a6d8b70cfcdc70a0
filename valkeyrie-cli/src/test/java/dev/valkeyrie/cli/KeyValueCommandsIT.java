package dev.valkeyrie.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.valkeyrie.store.KVPair;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** put, get, rm, exists, ls, rmtree, cas and cad through bin/valkeyrie against a real etcd. */
class KeyValueCommandsIT extends AgainstEtcd {

  private static Cli cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--endpoints", endpoint));
    return Cli.of(all.toArray(String[]::new));
  }

  private static Cli.Result run(String... args) {
    return cli(args).run();
  }

  private static void assertOneErrorLine(Cli.Result result, int exitCode, String... fragments) {
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(exitCode);
    assertThat(result.stderrLines()).as(result.toString()).hasSize(1);
    assertThat(result.stderr())
        .startsWith("valkeyrie")
        .contains(fragments)
        .doesNotContain("Exception:", "\tat ");
    assertThat(result.stdout()).isEmpty();
  }

  @Test
  void putThenGetPrintsTheValueAndNothingElse() {
    Cli.Result put = run("put", "kv/greeting", "hello, etcd");
    Cli.Result get = run("get", "kv/greeting");

    assertThat(put.exitCode()).as(put.toString()).isZero();
    assertThat(put.stdout()).isEmpty();
    assertThat(put.stderr()).isEmpty();
    assertThat(get.exitCode()).as(get.toString()).isZero();
    assertThat(get.stdout()).isEqualTo("hello, etcd\n");
    assertThat(get.stderr()).isEmpty();
  }

  @Test
  void getInJsonGivesTheIndexThatCasComparesOn() {
    store.put("kv/json", "v \"1\"\n".getBytes(UTF_8));
    KVPair stored = store.get("kv/json");

    Cli.Result get = run("get", "kv/json", "-o", "json");

    assertThat(get.exitCode()).as(get.toString()).isZero();
    assertThat(get.stdout())
        .isEqualTo(
            "{\"key\":\"kv/json\",\"value\":\"v \\\"1\\\"\\n\",\"index\":"
                + stored.lastIndex()
                + "}\n");
  }

  @Test
  void aMissingKeyExitsWithOneAndOneLineOnStandardError() {
    assertOneErrorLine(run("get", "kv/missing"), 1, "valkeyrie: ", "'kv/missing' not found");
  }

  @Test
  void valuesFromStandardInputAndFilesKeepTheirBytes(@TempDir Path dir) throws IOException {
    byte[] bytes = "é ✓ 𝄞\r\n\ttabs, \"quotes\", \\ and a NUL \u0000 end\n".getBytes(UTF_8);
    Path file = Files.write(dir.resolve("value.txt"), bytes);

    Cli.Result fromStdin = cli("put", "kv/stdin", "-").stdin(bytes).run();
    Cli.Result fromFile = run("put", "kv/file", "--file", file.toString());

    assertThat(fromStdin.exitCode()).as(fromStdin.toString()).isZero();
    assertThat(fromFile.exitCode()).as(fromFile.toString()).isZero();
    assertThat(store.get("kv/stdin").value()).isEqualTo(bytes);
    assertThat(run("get", "kv/stdin", "--raw").stdoutBytes()).isEqualTo(bytes);
    assertThat(run("get", "kv/file", "--raw").stdoutBytes()).isEqualTo(bytes);
  }

  @Test
  void aValueThatIsNotUtf8IsRefusedWithExitTwo() {
    Cli.Result put =
        cli("put", "kv/binary", "-").stdin(new byte[] {'o', 'k', (byte) 0xff, (byte) 0xfe}).run();

    assertOneErrorLine(put, 2, "not valid UTF-8", "Base64");
    assertThat(store.exists("kv/binary")).isFalse();
  }

  @Test
  void existsAnswersWithItsExitCode() {
    store.put("kv/present", "x".getBytes(UTF_8));

    Cli.Result present = run("exists", "kv/present");
    Cli.Result absent = run("exists", "kv/absent");
    Cli.Result json = run("exists", "kv/absent", "-o", "json");

    assertThat(present.exitCode()).isZero();
    assertThat(present.stdout() + present.stderr()).isEmpty();
    assertThat(absent.exitCode()).isEqualTo(1);
    assertThat(absent.stdout() + absent.stderr()).isEmpty();
    assertThat(json.exitCode()).isEqualTo(1);
    assertThat(json.stdout()).isEqualTo("{\"key\":\"kv/absent\",\"exists\":false}\n");
  }

  @Test
  void lsShowsATreeFlatLinesOrJson() {
    store.put("ls/config/greeting", "hello".getBytes(UTF_8));
    store.put("ls/services/web/1", "10.0.0.1:8080".getBytes(UTF_8));
    long index = store.get("ls/services/web/1").lastIndex();

    Cli.Result tree = run("ls", "ls");
    Cli.Result flat = run("ls", "/ls/", "--flat");
    Cli.Result json = run("ls", "ls/services", "-o", "json");

    assertThat(tree.exitCode()).as(tree.toString()).isZero();
    assertThat(tree.stdoutLines())
        .containsExactly(
            "ls/",
            "├── config/",
            "│   └── greeting = hello",
            "└── services/",
            "    └── web/",
            "        └── 1 = 10.0.0.1:8080");
    assertThat(flat.stdoutLines())
        .containsExactly(
            "ls/config/",
            "ls/config/greeting = hello",
            "ls/services/",
            "ls/services/web/",
            "ls/services/web/1 = 10.0.0.1:8080");
    assertThat(json.stdoutLines())
        .hasSize(2)
        .last()
        .isEqualTo(
            "{\"key\":\"ls/services/web/1\",\"value\":\"10.0.0.1:8080\",\"index\":" + index + "}");
    assertOneErrorLine(run("ls", "ls/missing"), 1, "not found");
  }

  @Test
  void rmRefusesADirectoryWithKeysAndRmtreeDeletesIt() {
    store.put("rm/dir/a", "1".getBytes(UTF_8));
    store.put("rm/key", "2".getBytes(UTF_8));

    assertThat(run("rm", "rm/key").exitCode()).isZero();
    assertOneErrorLine(run("rm", "rm/dir"), 1, "not empty", "valkeyrie rmtree rm/dir");
    assertThat(run("rmtree", "rm/dir").exitCode()).isZero();
    assertThat(store.exists("rm/dir")).isFalse();
    assertThat(store.exists("rm/key")).isFalse();
    assertOneErrorLine(run("rm", "rm/key"), 1, "not found");
  }

  @Test
  void casPrintsTheNewIndexAndFailsWithOneWhenTheComparisonFails() {
    Cli.Result created = run("cas", "cas/counter", "1", "--create");
    assertThat(created.exitCode()).as(created.toString()).isZero();
    long first = Long.parseLong(created.stdout().strip());
    assertThat(store.get("cas/counter"))
        .isEqualTo(new KVPair("cas/counter", "1".getBytes(UTF_8), first));

    assertOneErrorLine(run("cas", "cas/counter", "1", "--create"), 1, "already exists");

    Cli.Result swapped = run("cas", "cas/counter", "2", "--prev-index", Long.toString(first));
    assertThat(swapped.exitCode()).as(swapped.toString()).isZero();
    long second = Long.parseLong(swapped.stdout().strip());
    assertThat(second).isGreaterThan(first);

    assertOneErrorLine(
        run("cas", "cas/counter", "3", "--prev-index", Long.toString(first)), 1, "modified");
    assertOneErrorLine(run("cas", "cas/counter", "3", "--prev-value", "1"), 1, "--prev-value");

    Cli.Result byValue = run("cas", "cas/counter", "3", "--prev-value", "2", "-o", "json");
    assertThat(byValue.exitCode()).as(byValue.toString()).isZero();
    assertThat(byValue.stdout()).startsWith("{\"key\":\"cas/counter\",\"value\":\"3\",\"index\":");
    assertThat(store.get("cas/counter").valueAsString()).isEqualTo("3");
  }

  @Test
  void cadDeletesOnlyWhenTheComparisonHolds() {
    store.put("cad/k", "v1".getBytes(UTF_8));
    long index = store.get("cad/k").lastIndex();

    assertOneErrorLine(run("cad", "cad/k", "--prev-value", "other"), 1, "--prev-value");
    assertOneErrorLine(
        run("cad", "cad/k", "--prev-index", Long.toString(index - 1)), 1, "modified");
    assertThat(store.exists("cad/k")).isTrue();

    Cli.Result deleted = run("cad", "cad/k", "--prev-index", Long.toString(index));
    assertThat(deleted.exitCode()).as(deleted.toString()).isZero();
    assertThat(Long.parseLong(deleted.stdout().strip()))
        .as("the deletion's index")
        .isGreaterThan(index);
    assertThat(store.exists("cad/k")).isFalse();
    assertOneErrorLine(run("cad", "cad/k", "--prev-value", "v1"), 1, "not found");
  }

  @Test
  void putMakesDirectoriesAndKeysThatExpire() {
    assertThat(run("put", "ttl/jobs", "--dir").exitCode()).isZero();
    assertThat(run("put", "ttl/session", "alive", "--ttl", "1s").exitCode()).isZero();

    assertThat(run("ls", "ttl/jobs").stdout()).isEmpty();
    assertThat(run("exists", "ttl/jobs").exitCode()).isZero();
    await().atMost(Duration.ofSeconds(15)).until(() -> !store.exists("ttl/session"));
  }

  @Test
  void aValueOnADirectoryIsRefusedWithOne() {
    store.put("pitfall/services/web/1", "x".getBytes(UTF_8));

    assertOneErrorLine(run("put", "pitfall/services/web", "oops"), 1, "is a directory");
  }

  @Test
  void anInvalidKeyIsAUsageError() {
    assertOneErrorLine(run("get", "a/../b"), 2, "a/../b");
  }

  @Test
  void endpointsComeFromTheEnvironment() {
    store.put("env/k", "from env".getBytes(UTF_8));

    Cli.Result get = Cli.of("get", "env/k").env("VALKEYRIE_ENDPOINTS", endpoint).run();

    assertThat(get.exitCode()).as(get.toString()).isZero();
    assertThat(get.stdout()).isEqualTo("from env\n");
    assertThat(get.stderr()).isEmpty();
  }

  @Test
  void anUnreachableStoreExitsWithThree() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }

    Cli.Result get =
        Cli.of("get", "k", "--endpoints", "127.0.0.1:" + closedPort, "--timeout", "2s").run();

    assertOneErrorLine(get, 3, "cannot connect", "127.0.0.1:" + closedPort);
  }
}
