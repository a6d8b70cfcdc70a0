package dev.valkeyrie.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.valkeyrie.store.KVPair;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** How a value's bytes are shown: in JSON by {@link Output#pair}, in text by {@link Values}. */
class ValuesTest {
  private final ByteArrayOutputStream written = new ByteArrayOutputStream();

  private String json(byte[] value) {
    new Output(new PrintStream(written, true, StandardCharsets.UTF_8), OutputFormat.JSON)
        .pair(new KVPair("k", value, 3));
    return written.toString(StandardCharsets.UTF_8);
  }

  private static byte[] bytes(int... values) {
    byte[] bytes = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      bytes[i] = (byte) values[i];
    }
    return bytes;
  }

  /** Byte sequences a lossy decode would turn into U+FFFD, each malformed in its own way. */
  static Stream<byte[]> notUtf8() {
    return Stream.of(
        bytes(0xff, 0xfe, 0xfd),
        bytes('o', 'k', 0x80), // a continuation byte without a lead byte
        bytes('a', 0xe2, 0x9c), // a sequence cut short
        bytes(0xc0, 0x80), // an overlong NUL
        bytes(0xed, 0xa0, 0x80)); // an encoded surrogate (CESU-8)
  }

  @Test
  void utf8TextIsTheJsonValue() {
    assertThat(json("héllo ✓".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("{\"key\":\"k\",\"value\":\"héllo ✓\",\"index\":3}\n");
  }

  @ParameterizedTest
  @MethodSource("notUtf8")
  void bytesThatAreNotUtf8AreTheJsonValueBase64(byte[] value) {
    String base64 = Base64.getEncoder().encodeToString(value);

    assertThat(json(value))
        .isEqualTo("{\"key\":\"k\",\"valueBase64\":\"" + base64 + "\",\"index\":3}\n");
    assertThat(Base64.getDecoder().decode(base64)).isEqualTo(value);
  }

  @Test
  void anEmptyValueIsAnEmptyJsonValue() {
    assertThat(json(new byte[0])).isEqualTo("{\"key\":\"k\",\"value\":\"\",\"index\":3}\n");
  }

  @Test
  void aNulByteIsEscapedInTheJsonValue() {
    assertThat(json(bytes('a', 0, 'b')))
        .isEqualTo("{\"key\":\"k\",\"value\":\"a\\u0000b\",\"index\":3}\n");
  }

  @Test
  void emojiStayAsTheyAreInTheJsonValue() {
    byte[] value = "ok 🦊🎉".getBytes(StandardCharsets.UTF_8);

    assertThat(json(value)).isEqualTo("{\"key\":\"k\",\"value\":\"ok 🦊🎉\",\"index\":3}\n");
  }

  @Test
  void utf8TextIsShownAsItIs() {
    assertThat(Values.shown("héllo ✓".getBytes(StandardCharsets.UTF_8), 60)).isEqualTo("héllo ✓");
  }

  @ParameterizedTest
  @MethodSource("notUtf8")
  void bytesThatAreNotUtf8AreShownMarkedWithTheirBase64(byte[] value) {
    assertThat(Values.shown(value, 60))
        .isEqualTo(
            "<"
                + value.length
                + " bytes, not UTF-8: base64 "
                + Base64.getEncoder().encodeToString(value)
                + ">")
        .doesNotContain("\ufffd");
  }

  @Test
  void oneByteThatIsNotUtf8IsShownAsOneByte() {
    assertThat(Values.shown(bytes(0xff), 60)).isEqualTo("<1 byte, not UTF-8: base64 /w==>");
  }

  @Test
  void aLongBinaryValueHasItsBase64Cut() {
    byte[] value = new byte[100];
    Arrays.fill(value, (byte) 0xff);

    assertThat(Values.shown(value, 8)).isEqualTo("<100 bytes, not UTF-8: base64 ////////...>");
  }

  @Test
  void anEmptyValueIsShownEmpty() {
    assertThat(Values.shown(new byte[0], 60)).isEmpty();
  }

  @Test
  void aNulByteIsShownEscaped() {
    assertThat(Values.shown(bytes('a', 0, 'b'), 60)).isEqualTo("a\\u0000b");
  }

  @Test
  void emojiAreShownAsTheyAreAndCountAsOneCharacterWhenCut() {
    byte[] value = "🦊🎉🦊".getBytes(StandardCharsets.UTF_8);

    assertThat(Values.shown(value, 60)).isEqualTo("🦊🎉🦊");
    assertThat(Values.shown(value, 2)).isEqualTo("🦊🎉...");
  }
}
