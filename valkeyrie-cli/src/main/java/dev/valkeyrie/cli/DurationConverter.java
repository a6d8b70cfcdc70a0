package dev.valkeyrie.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads durations the way people type them: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h},
 * {@code 1m30s}, a bare number of seconds ({@code 20}), or ISO-8601 ({@code PT30S}). Never
 * negative.
 */
final class DurationConverter implements ITypeConverter<Duration> {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");
  private static final Pattern SECONDS = Pattern.compile("\\d+(?:\\.\\d+)?");

  @Override
  public Duration convert(String text) {
    return parse(text);
  }

  /**
   * @throws TypeConversionException naming the accepted forms
   */
  static Duration parse(String text) {
    String s = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    if (s.startsWith("p")) {
      try {
        Duration d = Duration.parse(s.toUpperCase(Locale.ROOT));
        if (!d.isNegative()) {
          return d;
        }
      } catch (DateTimeParseException e) {
        // fall through to the error below
      }
      throw invalid(text);
    }
    if (SECONDS.matcher(s).matches()) {
      return nanos(s, 1_000_000_000L, text);
    }
    Matcher m = PART.matcher(s);
    Duration total = Duration.ZERO;
    int at = 0;
    while (at < s.length() && m.find(at) && m.start() == at) {
      long unit =
          switch (m.group(2)) {
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> 86_400_000_000_000L;
          };
      total = total.plus(nanos(m.group(1), unit, text));
      at = m.end();
    }
    if (s.isEmpty() || at != s.length()) {
      throw invalid(text);
    }
    return total;
  }

  /** {@code 1h2m3s}, {@code 1.5s}, {@code 250ms}: the form {@link #parse} reads. */
  static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    StringBuilder out = new StringBuilder();
    long hours = d.toHours();
    if (hours > 0) {
      out.append(hours).append('h');
    }
    if (d.toMinutesPart() > 0) {
      out.append(d.toMinutesPart()).append('m');
    }
    int millis = d.toMillisPart();
    if (d.toSecondsPart() > 0 || (millis > 0 && out.length() > 0)) {
      out.append(d.toSecondsPart());
      if (millis > 0) {
        out.append('.').append(String.format("%03d", millis).replaceAll("0+$", ""));
      }
      out.append('s');
    } else if (millis > 0) {
      out.append(millis).append("ms");
    }
    return out.length() == 0 ? d.toNanos() + "ns" : out.toString();
  }

  private static Duration nanos(String number, long unitNanos, String text) {
    try {
      java.math.BigDecimal value =
          new java.math.BigDecimal(number).multiply(java.math.BigDecimal.valueOf(unitNanos));
      return Duration.ofNanos(value.setScale(0, java.math.RoundingMode.CEILING).longValueExact());
    } catch (ArithmeticException e) {
      throw invalid(text);
    }
  }

  private static TypeConversionException invalid(String text) {
    return new TypeConversionException(
        "'"
            + text
            + "' is not a duration; use for example 500ms,"
            + " 30s, 5m, 1h30m, or a number of seconds");
  }
}
