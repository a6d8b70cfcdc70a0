package dev.valkeyrie.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.KeyNotFoundException;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/** put, get, exists, ls, rm, rmtree, cas and cad through bin/valkeyrie --backend etcdv3. */
class V3KeyValueCommandsIT extends AgainstEtcdV3 {

  private static Cli.Result run(String... args) {
    return v3(args).run();
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
  void anyBytesRoundTripThroughStandardInput() {
    byte[] bytes = {'o', 'k', (byte) 0xff, (byte) 0xfe, 0, '\n'};

    Cli.Result put = v3("put", "kv3/binary", "-").stdin(bytes).run();

    assertThat(put.exitCode()).as(put.toString()).isZero();
    assertThat(put.stderr()).isEmpty();
    assertThat(store.get("kv3/binary").value()).isEqualTo(bytes);
    assertThat(run("get", "kv3/binary", "--raw").stdoutBytes()).isEqualTo(bytes);
  }

  @Test
  void getInJsonGivesTheModRevisionThatCasComparesOn() {
    store.put("kv3/json", "v1".getBytes(UTF_8));
    KVPair stored = store.get("kv3/json");

    Cli.Result get = run("get", "kv3/json", "-o", "json");
    Cli.Result swapped =
        run("cas", "kv3/json", "v2", "--prev-index", Long.toString(stored.lastIndex()));

    assertThat(get.stdout())
        .isEqualTo(
            "{\"key\":\"kv3/json\",\"value\":\"v1\",\"index\":" + stored.lastIndex() + "}\n");
    assertThat(swapped.exitCode()).as(swapped.toString()).isZero();
    assertThat(swapped.stdout()).isEqualTo(store.get("kv3/json").lastIndex() + "\n");
    assertOneErrorLine(
        run("cas", "kv3/json", "v3", "--prev-index", Long.toString(stored.lastIndex())),
        1,
        "kv3/json");
  }

  @Test
  void casCreatesOnceAndCadDeletesOnlyAtTheRevisionGiven() {
    Cli.Result created = run("cas", "kv3/counter", "1", "--create");
    long index = Long.parseLong(created.stdout().strip());

    assertThat(created.exitCode()).as(created.toString()).isZero();
    assertOneErrorLine(run("cas", "kv3/counter", "1", "--create"), 1, "kv3/counter");
    assertOneErrorLine(
        run("cad", "kv3/counter", "--prev-index", Long.toString(index - 1)), 1, "kv3/counter");
    Cli.Result deleted = run("cad", "kv3/counter", "--prev-value", "1");
    assertThat(deleted.exitCode()).as(deleted.toString()).isZero();
    Assertions.assertThatThrownBy(() -> store.get("kv3/counter"))
        .isInstanceOf(KeyNotFoundException.class);
  }

  @Test
  void aPrefixWithKeysBelowItExistsAsADirectoryWithoutAValue() {
    store.put("kv3/dir/a", "1".getBytes(UTF_8));

    assertThat(run("exists", "kv3/dir").exitCode()).isZero();
    assertThat(run("exists", "kv3/dir/a").exitCode()).isZero();
    assertThat(run("exists", "kv3/nothing").exitCode()).isEqualTo(1);
    assertOneErrorLine(run("get", "kv3/dir"), 1, "'kv3/dir'");
  }

  @Test
  void lsShowsTheKeysBelowAPrefixIncludingAKeyThatHasKeysBelowIt() {
    store.put("ls3/services/web", "pool".getBytes(UTF_8));
    store.put("ls3/services/web/1", "10.0.0.1:8080".getBytes(UTF_8));
    store.put("ls3/config/greeting", "hello".getBytes(UTF_8));

    Cli.Result tree = run("ls", "ls3");
    Cli.Result flat = run("ls", "ls3", "--flat");

    assertThat(tree.exitCode()).as(tree.toString()).isZero();
    assertThat(tree.stdoutLines())
        .containsExactly(
            "ls3/",
            "├── config/",
            "│   └── greeting = hello",
            "└── services/",
            "    └── web/ = pool",
            "        └── 1 = 10.0.0.1:8080");
    assertThat(flat.stdoutLines())
        .containsExactly(
            "ls3/config/greeting = hello",
            "ls3/services/web/ = pool",
            "ls3/services/web/1 = 10.0.0.1:8080");
    assertOneErrorLine(run("ls", "ls3/missing"), 1, "ls3/missing");
  }

  @Test
  void rmRefusesAKeyWithKeysBelowItAndRmtreeDeletesThemAll() {
    store.put("rm3/web", "pool".getBytes(UTF_8));
    store.put("rm3/web/1", "a".getBytes(UTF_8));

    assertOneErrorLine(run("rm", "rm3/web"), 1, "keys below it", "valkeyrie rmtree rm3/web");
    Cli.Result rmtree = run("rmtree", "rm3/web");

    assertThat(rmtree.exitCode()).as(rmtree.toString()).isZero();
    assertThat(store.exists("rm3/web")).isFalse();
    assertThat(store.exists("rm3/web/1")).isFalse();
    assertOneErrorLine(run("rm", "rm3/web"), 1, "not found");
  }

  @Test
  void putDirCreatesAnEmptyKeyAndLeavesAnExistingOneAsItIs() {
    store.put("dir3/kept", "value".getBytes(UTF_8));

    assertThat(run("put", "dir3/jobs", "--dir").exitCode()).isZero();
    assertThat(run("put", "dir3/kept", "--dir").exitCode()).isZero();

    assertThat(store.get("dir3/jobs").value()).isEmpty();
    assertThat(store.get("dir3/kept").valueAsString()).isEqualTo("value");
  }

  @Test
  void aWriteOverMaxRequestBytesIsRefusedBeforeItIsSent() {
    Cli.Result put = run("put", "big3/k", "x".repeat(4096), "--max-request-bytes", "2048");

    assertOneErrorLine(put, 2, "'big3/k'", "too large");
    assertThat(store.exists("big3/k")).isFalse();
  }

  @Test
  void theBackendCanComeFromTheEnvironment() {
    store.put("env3/k", "from v3".getBytes(UTF_8));

    Cli.Result get =
        Cli.of("get", "env3/k", "--endpoints", endpoint).env("VALKEYRIE_BACKEND", "etcdv3").run();

    assertThat(get.exitCode()).as(get.toString()).isZero();
    assertThat(get.stdout()).isEqualTo("from v3\n");
  }
}
