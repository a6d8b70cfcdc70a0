package dev.valkeyrie.store;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Renders values for messages and {@code toString()}: short, and never raw binary. */
final class Values {
  private static final int MAX_SHOWN = 64;

  private Values() {}

  static String describe(byte[] value) {
    try {
      String text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(value))
              .toString();
      if (text.codePointCount(0, text.length()) > MAX_SHOWN) {
        int end = text.offsetByCodePoints(0, MAX_SHOWN); // never split a surrogate pair
        return '"' + text.substring(0, end) + "\"... (" + value.length + " bytes)";
      }
      return '"' + text + '"';
    } catch (CharacterCodingException e) {
      return "<" + value.length + " bytes, not UTF-8>";
    }
  }
}
