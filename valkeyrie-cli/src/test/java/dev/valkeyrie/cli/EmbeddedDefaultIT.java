package dev.valkeyrie.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without any endpoint, the command starts a throwaway etcd for itself and leaves nothing behind:
 * no etcd process and no valkeyrie-etcd-* directory. Each run gets a temporary directory of its own
 * ({@code -Djava.io.tmpdir}), so other etcd processes on this machine do not matter.
 */
class EmbeddedDefaultIT {

  @TempDir Path tmp;

  private Cli cli(String... args) {
    return Cli.of(args).env("VALKEYRIE_JAVA_OPTS", "-Djava.io.tmpdir=" + tmp);
  }

  private List<ProcessHandle> etcdProcessesInTmp() {
    return ProcessHandle.allProcesses()
        .filter(
            p ->
                p.info()
                    .commandLine()
                    .map(c -> c.contains("etcd") && c.contains(tmp.toString()))
                    .orElse(false))
        .toList();
  }

  private List<Path> leftovers() throws IOException {
    try (Stream<Path> entries = Files.list(tmp)) {
      return entries.filter(p -> p.getFileName().toString().startsWith("valkeyrie-etcd-")).toList();
    }
  }

  @Test
  void demoRunsOnAThrowawayEtcdAndLeavesNothingBehind() throws IOException {
    Cli.Result demo = cli("demo").run();

    assertThat(demo.exitCode()).as(demo.toString()).isZero();
    assertThat(demo.stderr()).isEmpty();
    assertThat(demo.stdout())
        .contains(
            "throwaway local etcd at http://127.0.0.1:",
            "1. put and get",
            "refused with KeyTypeException",
            "demo/",
            "refused with KeyModifiedException",
            "the watch delivers MODIFIED 'hello again'",
            "6. two lock holders take turns",
            "not acquired: holder a has it",
            "Done.");
    assertThat(etcdProcessesInTmp()).isEmpty();
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void demoOnEtcdV3RunsTheSameTourOnTheFlatKeySpaceAndLeavesNothingBehind() throws IOException {
    Cli.Result demo = cli("demo", "--backend", "etcdv3").run();

    assertThat(demo.exitCode()).as(demo.toString()).isZero();
    assertThat(demo.stderr()).isEmpty();
    assertThat(demo.stdout())
        .contains(
            "throwaway local etcd at http://127.0.0.1:",
            "it speaks etcd's v3 API (--backend etcdv3)",
            "1. put and get",
            "2. directories: etcd v3 is flat",
            "yes: a directory exists while keys are below it",
            "refused with KeyNotFoundException: nothing is stored at the prefix itself",
            "ok: an existing key is left as it is",
            "└── 2 = 10.0.0.2:8080",
            "refused with KeyExistsException",
            "refused with KeyModifiedException",
            "the watch delivers MODIFIED 'hello again'",
            "the watch delivers DELETED",
            "6. two lock holders take turns",
            "not acquired: holder a has it",
            "Done.");
    assertThat(etcdProcessesInTmp()).isEmpty();
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void ctrlCOnAWatchStopsItsThrowawayEtcd() throws IOException {
    try (Cli.Running watch = cli("watch-tree", "/").asInTerminal().start()) {
      watch.awaitStderr(line -> line.contains("using a throwaway local etcd at http://127.0.0.1:"));
      assertThat(etcdProcessesInTmp()).hasSize(1);
      assertThat(leftovers()).hasSize(1);

      watch.signal("INT");
      Cli.Result result = watch.awaitExit();

      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(result.stderrLines()).hasSize(1);
    }
    await().atMost(Cli.TIMEOUT).until(() -> etcdProcessesInTmp().isEmpty());
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void aMissingEtcdSaysHowToInstallIt() throws IOException {
    Cli.Result get = cli("get", "k").env("VALKEYRIE_ETCD_BINARY", "/nonexistent/etcd").run();

    assertThat(get.exitCode()).as(get.toString()).isEqualTo(3);
    assertThat(get.stderrLines())
        .hasSize(1)
        .first()
        .asString()
        .contains("etcd is not installed", "apt-get install etcd-server");
    assertThat(leftovers()).isEmpty();
  }
}
