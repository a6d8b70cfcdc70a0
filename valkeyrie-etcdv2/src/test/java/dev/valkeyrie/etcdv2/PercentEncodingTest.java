package dev.valkeyrie.etcdv2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.valkeyrie.store.InvalidValueException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PercentEncodingTest {

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String formField(String value) {
    return new String(PercentEncoding.formField("value", utf8(value)), StandardCharsets.US_ASCII);
  }

  private static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }

  // ---- form bodies ----

  @Test
  void formFieldIsNameEqualsValue() {
    assertThat(formField("abc")).isEqualTo("value=abc");
  }

  @Test
  void emptyValueGivesAnEmptyField() {
    assertThat(formField("")).isEqualTo("value=");
  }

  @Test
  void plusInFormBodyIsPercentEncoded() {
    assertThat(formField("a+b")).isEqualTo("value=a%2Bb");
  }

  @Test
  void spaceInFormBodyIsPercentEncodedNotPlus() {
    assertThat(formField("a b")).isEqualTo("value=a%20b");
  }

  @Test
  void ampersandAndEqualsInFormBodyAreEncoded() {
    assertThat(formField("a&prevExist=false")).isEqualTo("value=a%26prevExist%3Dfalse");
  }

  @Test
  void percentInFormBodyIsEncoded() {
    assertThat(formField("100%25")).isEqualTo("value=100%2525");
  }

  @Test
  void multibyteUtf8InFormBodyIsEncodedBytewise() {
    assertThat(formField("é€\uD83D\uDE00")).isEqualTo("value=%C3%A9%E2%82%AC%F0%9F%98%80");
  }

  @Test
  void unreservedCharactersInFormBodyStayLiteral() {
    assertThat(formField("AZaz09-._~")).isEqualTo("value=AZaz09-._~");
  }

  @Test
  void newlinesAndNulInFormBodyAreEncoded() {
    assertThat(formField("a\nb\u0000")).isEqualTo("value=a%0Ab%00");
  }

  @Test
  void formFieldHasExactlyTheEncodedLength() {
    byte[] field = PercentEncoding.formField("value", utf8("a é"));

    assertThat(field).hasSize("value=a%20%C3%A9".length());
  }

  @Test
  void encodeUsesUppercaseHex() {
    assertThat(PercentEncoding.encode("\u00FF/")).isEqualTo("%C3%BF%2F");
  }

  // ---- UTF-8 validation ----

  @Test
  void validUtf8IsAccepted() {
    assertThatCode(() -> PercentEncoding.requireUtf8("k", utf8("héllo wörld €")))
        .doesNotThrowAnyException();
  }

  @Test
  void emptyValueIsAccepted() {
    assertThatCode(() -> PercentEncoding.requireUtf8("k", new byte[0])).doesNotThrowAnyException();
  }

  @Test
  void nulIsValidUtf8() {
    assertThatCode(() -> PercentEncoding.requireUtf8("k", bytes(0x61, 0x00, 0x62)))
        .doesNotThrowAnyException();
  }

  @Test
  void fourByteEmojiIsAccepted() {
    assertThatCode(() -> PercentEncoding.requireUtf8("k", bytes(0xF0, 0x9F, 0x98, 0x80)))
        .doesNotThrowAnyException();
  }

  @Test
  void byteFFIsRejectedNamingTheKey() {
    assertThatThrownBy(() -> PercentEncoding.requireUtf8("app/blob", bytes(0x41, 0xFF)))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining("'app/blob'")
        .hasMessageContaining("UTF-8");
  }

  @Test
  void truncatedSequenceIsRejected() {
    // the first two bytes of the three-byte euro sign E2 82 AC
    assertThatThrownBy(() -> PercentEncoding.requireUtf8("k", bytes(0x41, 0xE2, 0x82)))
        .isInstanceOf(InvalidValueException.class);
  }

  @Test
  void overlongEncodingIsRejected() {
    // C0 80 is an overlong (non-shortest) encoding of NUL
    assertThatThrownBy(() -> PercentEncoding.requireUtf8("k", bytes(0xC0, 0x80)))
        .isInstanceOf(InvalidValueException.class);
  }

  @Test
  void encodedLoneSurrogateIsRejected() {
    // ED A0 80 would be U+D800, which UTF-8 must not encode
    assertThatThrownBy(() -> PercentEncoding.requireUtf8("k", bytes(0xED, 0xA0, 0x80)))
        .isInstanceOf(InvalidValueException.class);
  }

  @Test
  void loneContinuationByteIsRejected() {
    assertThatThrownBy(() -> PercentEncoding.requireUtf8("k", bytes(0x80)))
        .isInstanceOf(InvalidValueException.class);
  }
}
