package dev.valkeyrie.cli;

/** Shows values on one line of text: control characters escaped, optionally shortened. */
final class Text {
  private Text() {}

  /** {@code value} with control characters escaped ({@code \n}, {@code \t}, {@code \u001b}...). */
  static String oneLine(String value) {
    StringBuilder out = null;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      String escaped =
          switch (c) {
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            case '\\' -> "\\\\";
            default -> Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : null;
          };
      if (escaped != null && out == null) {
        out = new StringBuilder(value.length() + 8).append(value, 0, i);
      }
      if (out != null) {
        if (escaped != null) {
          out.append(escaped);
        } else {
          out.append(c);
        }
      }
    }
    return out == null ? value : out.toString();
  }

  /** {@link #oneLine} cut to {@code max} code points, with {@code ...} when cut. */
  static String shortened(String value, int max) {
    String line = oneLine(value);
    if (line.codePointCount(0, line.length()) <= max) {
      return line;
    }
    return line.substring(0, line.offsetByCodePoints(0, max)) + "...";
  }
}
