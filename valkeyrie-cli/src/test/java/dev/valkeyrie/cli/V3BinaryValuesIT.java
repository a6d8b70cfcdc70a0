package dev.valkeyrie.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Values that are not UTF-8, written from a file and read back through bin/valkeyrie on v3. */
class V3BinaryValuesIT extends AgainstEtcdV3 {
  /** Not UTF-8: a stray continuation byte, 0xff, a NUL and a newline among text. */
  private static final byte[] BINARY = {'b', (byte) 0x80, (byte) 0xff, 0, '\n', 'z'};

  private static final String BASE64 = Base64.getEncoder().encodeToString(BINARY);

  @TempDir Path dir;

  private Path file(byte[] bytes) throws IOException {
    return Files.write(dir.resolve("value.bin"), bytes);
  }

  private static Cli.Result ok(Cli.Result result) {
    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.stderr()).as(result.toString()).isEmpty();
    return result;
  }

  @Test
  void aFileThatIsNotUtf8IsStoredAndPrintedByteForByte() throws IOException {
    ok(v3("put", "bin3/put", "--file", file(BINARY).toString()).run());

    assertThat(store.get("bin3/put").value()).isEqualTo(BINARY);
    assertThat(ok(v3("get", "bin3/put", "--raw").run()).stdoutBytes()).isEqualTo(BINARY);
    byte[] withNewline = new byte[BINARY.length + 1];
    System.arraycopy(BINARY, 0, withNewline, 0, BINARY.length);
    withNewline[BINARY.length] = '\n';
    assertThat(ok(v3("get", "bin3/put").run()).stdoutBytes()).isEqualTo(withNewline);
  }

  @Test
  void getAndLsInJsonGiveTheBase64OfBytesThatAreNotUtf8() {
    store.put("bin3/json/k", BINARY);
    long index = store.get("bin3/json/k").lastIndex();
    String expected =
        "{\"key\":\"bin3/json/k\",\"valueBase64\":\"" + BASE64 + "\",\"index\":" + index + "}";

    assertThat(ok(v3("get", "bin3/json/k", "-o", "json").run()).stdoutLines())
        .containsExactly(expected);
    assertThat(ok(v3("ls", "bin3/json", "-o", "json").run()).stdoutLines())
        .containsExactly(expected);
    assertThat(Base64.getDecoder().decode(BASE64)).isEqualTo(BINARY);
  }

  @Test
  void lsMarksAValueThatIsNotUtf8InsteadOfPrintingReplacementCharacters() {
    store.put("bin3/ls/k", BINARY);

    assertThat(ok(v3("ls", "bin3/ls").run()).stdoutLines())
        .containsExactly("bin3/ls/", "└── k = <6 bytes, not UTF-8: base64 " + BASE64 + ">");
  }

  @Test
  void casWithAFileWritesItsBytesUnchanged() throws IOException {
    store.put("bin3/cas", "before".getBytes(UTF_8));
    long index = store.get("bin3/cas").lastIndex();

    ok(
        v3(
                "cas",
                "bin3/cas",
                "--file",
                file(BINARY).toString(),
                "--prev-index",
                Long.toString(index))
            .run());

    assertThat(store.get("bin3/cas").value()).isEqualTo(BINARY);
  }
}
