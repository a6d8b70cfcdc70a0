package dev.valkeyrie.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * Shows a value's bytes without ever changing them silently. Bytes that are valid UTF-8 (decided by
 * a strict decoder, not by a lossy decode) show as that text; other bytes (etcd v3 stores any) show
 * as standard Base64: the JSON field {@code valueBase64} instead of {@code value}, and in text
 * views a marked form, {@code <3 bytes, not UTF-8: base64 gIGC>}.
 */
final class Values {
  private Values() {}

  /** The value as text if its bytes are valid UTF-8, else {@code null}. */
  static @Nullable String utf8(byte[] value) {
    try {
      // A new decoder each time: decoders keep state and are not thread-safe.
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(value))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** {@code "value": text} for UTF-8 bytes, else {@code "valueBase64": base64}. */
  static void writeField(JsonGenerator g, byte[] value) throws IOException {
    String text = utf8(value);
    if (text != null) {
      g.writeStringField("value", text);
    } else {
      g.writeStringField("valueBase64", Base64.getEncoder().encodeToString(value));
    }
  }

  /**
   * The value on one line ({@link Text#oneLine}): UTF-8 text as it is, other bytes as {@code <N
   * bytes, not UTF-8: base64 ...>}; the text or the Base64 cut to {@code max} code points, with
   * {@code ...} when cut.
   */
  static String shown(byte[] value, int max) {
    String text = utf8(value);
    if (text != null) {
      return Text.shortened(text, max);
    }
    String base64 = Base64.getEncoder().encodeToString(value);
    String cut = base64.length() <= max ? base64 : base64.substring(0, max) + "...";
    return "<"
        + value.length
        + (value.length == 1 ? " byte" : " bytes")
        + ", not UTF-8: base64 "
        + cut
        + ">";
  }
}
