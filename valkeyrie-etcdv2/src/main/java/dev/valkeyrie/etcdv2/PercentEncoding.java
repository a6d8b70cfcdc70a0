package dev.valkeyrie.etcdv2;

import dev.valkeyrie.store.InvalidValueException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Percent-encoding for URL path segments, query parameters and form bodies. Only RFC 3986
 * unreserved characters stay literal, so {@code +}, {@code %}, {@code ?}, {@code #}, {@code /} and
 * {@code &} never change meaning on the way (in a form body, a literal {@code +} would become a
 * space).
 */
final class PercentEncoding {
  private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

  private PercentEncoding() {}

  static boolean isUnreserved(int b) {
    return (b >= 'a' && b <= 'z')
        || (b >= 'A' && b <= 'Z')
        || (b >= '0' && b <= '9')
        || b == '-'
        || b == '.'
        || b == '_'
        || b == '~';
  }

  static void appendEncoded(StringBuilder out, byte[] bytes) {
    for (byte value : bytes) {
      int b = value & 0xff;
      if (isUnreserved(b)) {
        out.append((char) b);
      } else {
        out.append('%').append((char) HEX[b >> 4]).append((char) HEX[b & 0xf]);
      }
    }
  }

  static String encode(String text) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    appendEncoded(out, text.getBytes(StandardCharsets.UTF_8));
    return out.toString();
  }

  /** {@code name=<encoded value>} as form-body bytes. */
  static byte[] formField(String name, byte[] value) {
    int size = name.length() + 1;
    for (byte b : value) {
      size += isUnreserved(b & 0xff) ? 1 : 3;
    }
    byte[] out = new byte[size];
    int i = 0;
    for (int k = 0; k < name.length(); k++) {
      out[i++] = (byte) name.charAt(k);
    }
    out[i++] = '=';
    for (byte value1 : value) {
      int b = value1 & 0xff;
      if (isUnreserved(b)) {
        out[i++] = (byte) b;
      } else {
        out[i++] = '%';
        out[i++] = HEX[b >> 4];
        out[i++] = HEX[b & 0xf];
      }
    }
    return out;
  }

  /**
   * etcd v2 stores values as text and replaces bytes that are not UTF-8 with U+FFFD. Rather than
   * let a value change silently, refuse it.
   */
  static void requireUtf8(String key, byte[] value) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(value));
    } catch (CharacterCodingException e) {
      throw new InvalidValueException(
          "value for key '"
              + key
              + "' is not valid UTF-8; etcd v2 stores text and would replace"
              + " the invalid bytes. Encode binary values (for example as Base64) before storing",
          e);
    }
  }
}
