package dev.valkeyrie.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Usage errors exit with 2 and one line on standard error, before any store is opened or any etcd
 * started (none of these runs reaches the network).
 */
class UsageErrorTest {

  private static void assertUsageError(InMemoryIo io, int code, String... fragments) {
    assertThat(code).isEqualTo(ExitCodes.USAGE);
    assertThat(io.errLines()).hasSize(1);
    assertThat(io.err()).contains(fragments).doesNotContain("Exception", "\tat ");
    assertThat(io.out()).isEmpty();
  }

  @Test
  void noCommand() {
    InMemoryIo io = new InMemoryIo();
    assertUsageError(io, io.run(), "missing COMMAND");
  }

  @Test
  void unknownCommandSuggestsTheNearestOne() {
    InMemoryIo io = new InMemoryIo();
    assertUsageError(io, io.run("wacth", "k"), "valkeyrie: ", "'wacth'", "did you mean", "watch");
  }

  @Test
  void missingKeyNamesTheCommandAndItsHelp() {
    InMemoryIo io = new InMemoryIo();
    assertUsageError(io, io.run("get"), "valkeyrie get: ", "KEY", "valkeyrie get --help");
  }

  @Test
  void unknownOption() {
    InMemoryIo io = new InMemoryIo();
    assertUsageError(io, io.run("get", "k", "--frobnicate"), "--frobnicate");
  }

  @Test
  void putWithoutValue() {
    InMemoryIo io = new InMemoryIo();
    assertUsageError(io, io.run("put", "k"), "missing VALUE");
  }

  @Test
  void putWithValueAndFile(@TempDir Path dir) {
    InMemoryIo io = new InMemoryIo();
    assertUsageError(
        io, io.run("put", "k", "v", "--file", dir.resolve("f").toString()), "not both");
  }

  @Test
  void putFromAMissingFile(@TempDir Path dir) {
    InMemoryIo io = new InMemoryIo();
    assertUsageError(
        io,
        io.run("put", "k", "--file", dir.resolve("missing").toString()),
        "cannot read --file",
        "no such file");
  }

  @Test
  void putDirWithValue() {
    InMemoryIo io = new InMemoryIo();
    assertUsageError(io, io.run("put", "d", "v", "--dir"), "--dir");
  }

  @Test
  void casWithoutCondition() {
    InMemoryIo io = new InMemoryIo();
    assertUsageError(io, io.run("cas", "k", "v"), "--prev-index", "--create");
  }

  @Test
  void casWithTwoConditions() {
    InMemoryIo io = new InMemoryIo();
    assertUsageError(
        io, io.run("cas", "k", "v", "--create", "--prev-index", "3"), "mutually exclusive");
  }

  @Test
  void casWithIndexZero() {
    InMemoryIo io = new InMemoryIo();
    assertUsageError(io, io.run("cas", "k", "v", "--prev-index", "0"), "--prev-index must be 1");
  }

  @Test
  void cadWithBothConditions() {
    InMemoryIo io = new InMemoryIo();
    assertUsageError(
        io, io.run("cad", "k", "--prev-index", "3", "--prev-value", "x"), "mutually exclusive");
  }

  @Test
  void badDuration() {
    InMemoryIo io = new InMemoryIo();
    assertUsageError(io, io.run("get", "k", "--timeout", "soon"), "'soon' is not a duration");
  }

  @Test
  void zeroRequestTimeout() {
    InMemoryIo io = new InMemoryIo();
    assertUsageError(
        io,
        io.run("get", "k", "--timeout", "0s", "--endpoints", "127.0.0.1:1"),
        "--timeout must be longer than zero");
  }

  @Test
  void lockTtlUnderOneSecond() {
    InMemoryIo io = new InMemoryIo();
    assertUsageError(
        io,
        io.run("lock", "k", "--ttl", "500ms", "--endpoints", "127.0.0.1:1", "--", "true"),
        "--ttl must be at least 1s");
  }

  @Test
  void lockWithoutCommand() {
    InMemoryIo io = new InMemoryIo();
    assertUsageError(io, io.run("lock", "k"), "COMMAND");
  }

  @Test
  void badOutputFormat() {
    InMemoryIo io = new InMemoryIo();
    assertUsageError(io, io.run("get", "k", "-o", "yaml"), "yaml");
  }

  @Test
  void emptyEndpoints() {
    InMemoryIo io = new InMemoryIo();
    assertUsageError(io, io.run("get", "k", "--endpoints", ","), "--endpoints is empty");
  }

  @Test
  void unusableTlsFilesAreAConfigurationError(@TempDir Path dir) {
    InMemoryIo io = new InMemoryIo();
    int code =
        io.run(
            "get",
            "k",
            "--endpoints",
            "127.0.0.1:1",
            "--cacert",
            dir.resolve("missing-ca.pem").toString());

    assertThat(code).isEqualTo(ExitCodes.USAGE);
    assertThat(io.errLines()).hasSize(1);
    assertThat(io.err()).startsWith("valkeyrie: ").contains("missing-ca.pem");
  }

  @Test
  void debugAddsTheStackTrace() {
    InMemoryIo io = new InMemoryIo();

    assertThat(io.run("put", "k", "--debug")).isEqualTo(ExitCodes.USAGE);
    assertThat(io.err()).contains("missing VALUE", "UsageException", "\tat ");
  }

  @Test
  void debugAfterDoubleDashBelongsToLocksCommand() {
    assertThat(Main.debugRequested(new String[] {"lock", "k", "--", "cmd", "--debug"})).isFalse();
    assertThat(Main.debugRequested(new String[] {"get", "k", "--debug"})).isTrue();
  }
}
