package dev.valkeyrie.cli;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import dev.valkeyrie.store.KVPair;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes results to standard output: text for people ({@code -o plain}) or one JSON object per line
 * ({@code -o json}), written with Jackson's streaming generator. Every line is flushed, so a
 * watch's updates show as they arrive.
 */
final class Output {
  // Characters beyond the BMP (emoji) as their 4 UTF-8 bytes, not as two escaped surrogates.
  private static final JsonFactory JSON =
      JsonFactory.builder()
          .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
          .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
          .build();

  private final PrintStream out;
  private final OutputFormat format;

  Output(PrintStream out, OutputFormat format) {
    this.out = out;
    this.format = format;
  }

  boolean json() {
    return format == OutputFormat.JSON;
  }

  /** A line of text, UTF-8. */
  void line(String text) {
    raw(bytes(text + "\n"));
  }

  /**
   * Bytes exactly as given.
   *
   * @throws OutputClosedException if standard output is gone (a closed pipe)
   */
  void raw(byte[] bytes) {
    out.write(bytes, 0, bytes.length);
    flush();
  }

  private void flush() {
    out.flush();
    if (out.checkError()) {
      throw new OutputClosedException();
    }
  }

  /**
   * {@code {"key":..,"value":..,"index":..}}, or {@code "valueBase64"} instead of {@code "value"}
   * for bytes that are not UTF-8 ({@link Values}).
   */
  void pair(KVPair pair) {
    object(g -> pairFields(g, pair));
  }

  /** {@code {"key":..,"exists":..}}. */
  void exists(String key, boolean exists) {
    object(
        g -> {
          g.writeStringField("key", key);
          g.writeBooleanField("exists", exists);
        });
  }

  /**
   * One watch update: {@code modify k = v (index 7)}, {@code delete k (index 8)}; an empty value
   * (or a directory) shows as the bare key, bytes that are not UTF-8 in {@link Values}' marked
   * form. JSON: {@code {"event":"modify","key":..,"value":..,"index":..}} ({@code "valueBase64"}
   * for bytes that are not UTF-8), without a value after a removal.
   */
  void update(Update update) {
    KVPair p = update.pair();
    boolean removal = update.kind().isRemoval();
    if (json()) {
      object(
          g -> {
            g.writeStringField("event", update.kind().label());
            g.writeStringField("key", p.key());
            if (!removal) {
              Values.writeField(g, p.value());
            }
            g.writeNumberField("index", p.lastIndex());
          });
      return;
    }
    StringBuilder line = new StringBuilder(update.kind().label()).append(' ').append(p.key());
    byte[] value = p.value();
    if (!removal && value.length > 0) {
      line.append(" = ").append(Values.shown(value, Integer.MAX_VALUE));
    }
    line(line.append(" (index ").append(p.lastIndex()).append(')').toString());
  }

  /** Several lines. */
  void lines(List<String> lines) {
    StringBuilder all = new StringBuilder();
    for (String l : lines) {
      all.append(l).append('\n');
    }
    raw(bytes(all.toString()));
  }

  /** Writes one JSON object and a newline. */
  void object(JsonFields fields) {
    try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
      g.writeStartObject();
      fields.write(g);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write JSON output", e);
    }
    out.write('\n');
    flush();
  }

  static void pairFields(JsonGenerator g, KVPair pair) throws IOException {
    g.writeStringField("key", pair.key());
    Values.writeField(g, pair.value());
    g.writeNumberField("index", pair.lastIndex());
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Writes the fields of one JSON object. */
  @FunctionalInterface
  interface JsonFields {
    void write(JsonGenerator g) throws IOException;
  }
}
