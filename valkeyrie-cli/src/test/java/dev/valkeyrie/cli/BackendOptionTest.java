package dev.valkeyrie.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.valkeyrie.etcdv2.EtcdV2Config;
import dev.valkeyrie.etcdv3.EtcdV3Config;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code --backend} and {@code $VALKEYRIE_BACKEND}, and the options that mean something on one
 * backend only. Nothing here opens a store: refusals are usage errors before any etcd is reached.
 */
class BackendOptionTest {

  private static Settings settings(Map<String, String> env, String... args) {
    CommandLine cli = Main.commandLine(new InMemoryIo(env, new byte[0]).io, false);
    return ((BaseCommand) cli.parseArgs(args).subcommand().commandSpec().userObject()).settings();
  }

  private static void assertUsageError(InMemoryIo io, int code, String... fragments) {
    assertThat(code).isEqualTo(ExitCodes.USAGE);
    assertThat(io.errLines()).as(io.err()).hasSize(1);
    assertThat(io.err()).contains(fragments).doesNotContain("Exception", "\tat ");
    assertThat(io.out()).isEmpty();
  }

  @Test
  void theDefaultIsEtcdV2() {
    Settings s = settings(Map.of(), "get", "k");

    assertThat(s.backend()).isEqualTo(Backend.ETCDV2);
    assertThat(s.config()).isInstanceOf(EtcdV2Config.class);
  }

  @Test
  void theOptionPicksEtcdV3BeforeOrAfterTheCommandInAnyCase() {
    assertThat(settings(Map.of(), "--backend", "etcdv3", "get", "k").backend())
        .isEqualTo(Backend.ETCDV3);
    assertThat(settings(Map.of(), "get", "k", "--backend", "ETCDv3").backend())
        .isEqualTo(Backend.ETCDV3);
  }

  @Test
  void theEnvironmentPicksTheBackendWhenTheOptionIsNotGiven() {
    Map<String, String> env = Map.of("VALKEYRIE_BACKEND", "etcdv3");

    assertThat(settings(env, "get", "k").backend()).isEqualTo(Backend.ETCDV3);
    assertThat(settings(env, "get", "k", "--backend", "etcdv2").backend())
        .isEqualTo(Backend.ETCDV2);
  }

  @Test
  void etcdV3GetsAV3ConfigWithTheSharedSettingsAndItsRequestSizeLimit() {
    Settings s =
        settings(
            Map.of("VALKEYRIE_PASSWORD", "s3cret"),
            "get",
            "k",
            "--backend",
            "etcdv3",
            "--user",
            "app",
            "--timeout",
            "3s",
            "--max-request-bytes",
            "4096");

    assertThat(s.config())
        .isInstanceOfSatisfying(
            EtcdV3Config.class,
            c -> {
              assertThat(c.maxRequestBytes()).isEqualTo(4096);
              assertThat(c.requestTimeout()).isEqualTo(Duration.ofSeconds(3));
              assertThat(c.connectionTimeout()).isEqualTo(Duration.ofSeconds(3));
              assertThat(c.username()).isEqualTo("app");
              assertThat(c.hasPassword()).isTrue();
            });
    assertThat(s.toString()).contains("backend=etcdv3", "maxRequestBytes=4096");
    assertThat(s.config().toString()).doesNotContain("s3cret");
  }

  @Test
  void anUnknownBackendOptionIsAUsageError() {
    InMemoryIo io = new InMemoryIo();
    assertUsageError(io, io.run("get", "k", "--backend", "consul"), "--backend", "consul");
  }

  @Test
  void anUnknownBackendInTheEnvironmentIsAUsageError() {
    InMemoryIo io = new InMemoryIo(Map.of("VALKEYRIE_BACKEND", "zookeeper"), new byte[0]);
    assertUsageError(
        io, io.run("get", "k"), "$VALKEYRIE_BACKEND must be etcdv2 or etcdv3", "'zookeeper'");
  }

  @Test
  void maxRequestBytesIsRefusedOnEtcdV2() {
    InMemoryIo io = new InMemoryIo();
    assertUsageError(
        io,
        io.run("put", "k", "v", "--max-request-bytes", "4096"),
        "--max-request-bytes",
        "--backend etcdv3");
  }

  @Test
  void aDirectoryWithATtlIsRefusedOnEtcdV3() {
    InMemoryIo io = new InMemoryIo();
    assertUsageError(
        io,
        io.run("put", "jobs", "--dir", "--ttl", "30s", "--backend", "etcdv3"),
        "valkeyrie put: ",
        "--dir with --ttl needs --backend etcdv2");
  }

  @Test
  void aMaxRequestBytesEtcdWouldNotTakeIsAUsageError() {
    InMemoryIo io = new InMemoryIo();
    assertUsageError(
        io,
        io.run("get", "k", "--backend", "etcdv3", "--max-request-bytes", "12"),
        "maxRequestBytes must be at least 1024");
  }
}
