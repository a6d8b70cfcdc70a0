package dev.valkeyrie.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** How command lines parse into settings and command fields; nothing here opens a store. */
class ArgumentParsingTest {

  private static <T> T parse(Class<T> type, Map<String, String> env, String... args) {
    CommandLine cli = Main.commandLine(new InMemoryIo(env, new byte[0]).io, false);
    ParseResult result = cli.parseArgs(args);
    return type.cast(result.subcommand().commandSpec().userObject());
  }

  private static <T> T parse(Class<T> type, String... args) {
    return parse(type, Map.of(), args);
  }

  @Test
  void globalOptionsWorkBeforeAndAfterTheCommandName() {
    Settings after =
        parse(GetCommand.class, "get", "k", "--endpoints", "h1:2379,h2:2379").settings();
    Settings before =
        parse(GetCommand.class, "--endpoints", "h1:2379,h2:2379", "get", "k").settings();

    assertThat(after.endpoints()).containsExactly("h1:2379", "h2:2379");
    assertThat(before.endpoints()).isEqualTo(after.endpoints());
  }

  @Test
  void theCommandsOwnOptionWinsOverTheTopLevelOne() {
    Settings s =
        parse(
                GetCommand.class,
                "-o",
                "plain",
                "--timeout",
                "3s",
                "get",
                "k",
                "-o",
                "json",
                "--timeout",
                "1500ms")
            .settings();

    assertThat(s.output()).isEqualTo(OutputFormat.JSON);
    assertThat(s.requestTimeout()).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void endpointsAndCredentialsComeFromTheEnvironmentWhenNotGiven() {
    Map<String, String> env =
        Map.of(
            "VALKEYRIE_ENDPOINTS", " h1:2379 , http://h2:2379 ",
            "VALKEYRIE_USER", "app",
            "VALKEYRIE_PASSWORD", "s3cret");

    Settings fromEnv = parse(GetCommand.class, env, "get", "k").settings();
    Settings fromOptions =
        parse(GetCommand.class, env, "get", "k", "--endpoints", "h3:1", "--user", "ops").settings();

    assertThat(fromEnv.endpoints()).containsExactly("h1:2379", "http://h2:2379");
    assertThat(fromEnv.user()).isEqualTo("app");
    assertThat(fromEnv.password()).isEqualTo("s3cret");
    assertThat(fromOptions.endpoints()).containsExactly("h3:1");
    assertThat(fromOptions.user()).isEqualTo("ops");
  }

  @Test
  void noEndpointAnywhereMeansTheEmbeddedDefault() {
    Settings s = parse(GetCommand.class, "get", "k").settings();

    assertThat(s.embedded()).isTrue();
    assertThat(s.requestTimeout()).isEqualTo(Settings.DEFAULT_REQUEST_TIMEOUT);
    assertThat(s.output()).isEqualTo(OutputFormat.PLAIN);
  }

  @Test
  void thePasswordIsNeverShown() {
    Settings s =
        parse(GetCommand.class, Map.of("VALKEYRIE_PASSWORD", "s3cret"), "get", "k", "--user", "app")
            .settings();

    assertThat(s.toString()).doesNotContain("s3cret").contains("****");
    assertThat(s.config().toString()).doesNotContain("s3cret");
  }

  @Test
  void passwordWithoutValueIsReadFromStandardInputWhenThereIsNoTerminal() {
    CommandLine cli =
        Main.commandLine(
            new InMemoryIo(
                    Map.of(), "s3cret\nrest".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .io,
            false);
    GetCommand get =
        (GetCommand)
            cli.parseArgs("get", "k", "--user", "app", "--password")
                .subcommand()
                .commandSpec()
                .userObject();

    assertThat(get.settings().password()).isEqualTo("s3cret");
  }

  @Test
  void outputFormatIsCaseInsensitive() {
    assertThat(parse(LsCommand.class, "ls", "-o", "JSON").settings().json()).isTrue();
  }

  @Test
  void tlsFilesGoTogetherWithEndpoints() {
    Settings s =
        parse(
                GetCommand.class,
                "get",
                "k",
                "--endpoints",
                "h:1",
                "--cacert",
                "/ca.pem",
                "--cert",
                "/c.pem",
                "--key",
                "/k.pem")
            .settings();

    assertThat(s.tls()).isTrue();
    assertThat(s.caCert()).isEqualTo(Path.of("/ca.pem"));
    assertThat(s.key()).isEqualTo(Path.of("/k.pem"));
    assertThatThrownBy(() -> parse(GetCommand.class, "get", "k", "--cacert", "/ca.pem").settings())
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("need --endpoints");
  }

  @Test
  void lockTakesItsOwnTimeoutAndTheCommandAfterDoubleDash() {
    LockCommand lock =
        parse(
            LockCommand.class,
            "--timeout",
            "3s",
            "lock",
            "jobs/nightly",
            "--timeout",
            "1m",
            "--ttl",
            "5s",
            "--value",
            "host-a",
            "--",
            "sh",
            "-c",
            "echo --timeout 9s");

    assertThat(lock.key).isEqualTo("jobs/nightly");
    assertThat(lock.timeout).isEqualTo(Duration.ofMinutes(1));
    assertThat(lock.ttl).isEqualTo(Duration.ofSeconds(5));
    assertThat(lock.value).isEqualTo("host-a");
    assertThat(lock.command).containsExactly("sh", "-c", "echo --timeout 9s");
    assertThat(lock.settings().requestTimeout()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void lockWaitsForeverAndUsesTheLibraryTtlByDefault() {
    LockCommand lock = parse(LockCommand.class, "lock", "k", "--", "true");

    assertThat(lock.timeout).isNull();
    assertThat(lock.ttl).isEqualTo(Duration.ofSeconds(20));
    assertThat(lock.grace).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void casTakesExactlyOneCondition() {
    assertThat(parse(CasCommand.class, "cas", "k", "v", "--prev-index", "7").condition.prevIndex)
        .isEqualTo(7L);
    assertThat(parse(CasCommand.class, "cas", "k", "v", "--prev-value", "old").condition.prevValue)
        .isEqualTo("old");
    assertThat(parse(CasCommand.class, "cas", "k", "v", "--create").condition.create).isTrue();
    assertThat(parse(CadCommand.class, "cad", "k", "--prev-index", "9").condition.prevIndex)
        .isEqualTo(9L);
  }

  @Test
  void lsDefaultsToTheRootAndWatchTakesAKey() {
    assertThat(parse(LsCommand.class, "ls").directory).isEqualTo("/");
    assertThat(parse(LsCommand.class, "ls", "app", "--flat").flat).isTrue();
    assertThat(parse(WatchCommand.class, "watch", "app/config").key).isEqualTo("app/config");
    assertThat(parse(WatchTreeCommand.class, "watch-tree", "app").directory).isEqualTo("app");
  }

  @Test
  void putTakesTtlAndDir() {
    PutCommand put = parse(PutCommand.class, "put", "app/jobs", "--dir", "--ttl", "1m30s");

    assertThat(put.dir).isTrue();
    assertThat(put.write.ttl).isEqualTo(Duration.ofSeconds(90));
    assertThat(put.write.value).isNull();
  }

  @Test
  void theValueOfPutAndCasFollowsTheKey() {
    PutCommand put = parse(PutCommand.class, "put", "k", "v");
    CasCommand cas = parse(CasCommand.class, "cas", "k", "v", "--create");

    assertThat(put.key).isEqualTo("k");
    assertThat(put.write.value).isEqualTo("v");
    assertThat(cas.key).isEqualTo("k");
    assertThat(cas.write.value).isEqualTo("v");
  }

  @Test
  void casTakesTheValueFileAndTtlOptionsOfPut() {
    CasCommand cas =
        parse(CasCommand.class, "cas", "k", "--file", "/v.txt", "--ttl", "30s", "--create");

    assertThat(cas.key).isEqualTo("k");
    assertThat(cas.write.file).isEqualTo(Path.of("/v.txt"));
    assertThat(cas.write.ttl).isEqualTo(Duration.ofSeconds(30));
    assertThat(cas.write.value).isNull();
  }

  @Test
  void everyCommandHasHelpAndVersion() {
    for (String command :
        List.of(
            "put",
            "get",
            "rm",
            "exists",
            "ls",
            "rmtree",
            "cas",
            "cad",
            "watch",
            "watch-tree",
            "lock",
            "demo")) {
      InMemoryIo help = new InMemoryIo();
      InMemoryIo version = new InMemoryIo();

      assertThat(help.run(command, "--help")).as(command).isZero();
      assertThat(help.out()).as(command).contains("Usage: valkeyrie " + command);
      assertThat(version.run(command, "--version")).as(command).isZero();
      assertThat(version.out()).as(command).startsWith("valkeyrie ");
    }
  }

  @Test
  void topLevelHelpListsTheCommandsAndTheExitCodes() {
    InMemoryIo io = new InMemoryIo();

    assertThat(io.run("--help")).isZero();
    assertThat(io.out())
        .contains("watch-tree", "lock", "demo", "VALKEYRIE_ENDPOINTS", "Exit codes:")
        .contains("4         lock: the lock was lost");
  }
}
