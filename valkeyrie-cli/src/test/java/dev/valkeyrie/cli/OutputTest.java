package dev.valkeyrie.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.valkeyrie.store.KVPair;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OutputTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

  private Output output(OutputFormat format) {
    return new Output(new PrintStream(bytes, true, StandardCharsets.UTF_8), format);
  }

  private String written() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static KVPair pair(String key, String value, long index) {
    return new KVPair(key, value.getBytes(StandardCharsets.UTF_8), index);
  }

  @Test
  void jsonIsOneEscapedObjectPerLine() {
    Output out = output(OutputFormat.JSON);

    out.pair(pair("app/a \"b\"", "line1\nline2 é ✓", 7));
    out.exists("app/x", false);

    assertThat(written())
        .isEqualTo(
            """
            {"key":"app/a \\"b\\"","value":"line1\\nline2 é ✓","index":7}
            {"key":"app/x","exists":false}
            """);
  }

  @Test
  void watchUpdatesInJson() {
    Output out = output(OutputFormat.JSON);

    out.update(new Update(Update.Kind.CURRENT, pair("k", "v", 3)));
    out.update(new Update(Update.Kind.MODIFY, pair("k", "", 4)));
    out.update(new Update(Update.Kind.EXPIRE, pair("k", "", 5)));

    assertThat(written().lines())
        .containsExactly(
            "{\"event\":\"current\",\"key\":\"k\",\"value\":\"v\",\"index\":3}",
            "{\"event\":\"modify\",\"key\":\"k\",\"value\":\"\",\"index\":4}",
            "{\"event\":\"expire\",\"key\":\"k\",\"index\":5}");
  }

  @Test
  void watchUpdatesInPlainText() {
    Output out = output(OutputFormat.PLAIN);

    out.update(new Update(Update.Kind.CREATE, pair("k", "two\nlines", 5)));
    out.update(new Update(Update.Kind.CREATE, pair("d/sub", "", 6)));
    out.update(new Update(Update.Kind.DELETE, pair("k", "", 7)));

    assertThat(written().lines())
        .containsExactly(
            "create k = two\\nlines (index 5)", "create d/sub (index 6)", "delete k (index 7)");
  }

  @Test
  void watchUpdatesOfBytesThatAreNotUtf8GiveTheirBase64InJson() {
    Output out = output(OutputFormat.JSON);

    out.update(new Update(Update.Kind.MODIFY, new KVPair("k", new byte[] {(byte) 0xff, 0}, 4)));

    assertThat(written())
        .isEqualTo("{\"event\":\"modify\",\"key\":\"k\",\"valueBase64\":\"/wA=\",\"index\":4}\n");
  }

  @Test
  void watchUpdatesOfBytesThatAreNotUtf8AreMarkedInPlainText() {
    Output out = output(OutputFormat.PLAIN);

    out.update(new Update(Update.Kind.CREATE, new KVPair("k", new byte[] {(byte) 0xff, 0}, 5)));

    assertThat(written()).isEqualTo("create k = <2 bytes, not UTF-8: base64 /wA=> (index 5)\n");
  }

  @Test
  void rawBytesAreWrittenAsTheyAre() {
    byte[] value = {(byte) 0xe2, (byte) 0x9c, (byte) 0x93, '\n', 0, 'x'};

    output(OutputFormat.PLAIN).raw(value);

    assertThat(bytes.toByteArray()).isEqualTo(value);
  }
}
