package dev.valkeyrie.cli;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
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
  private static final JsonFactory JSON =
      JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

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

  /** {@code {"key":..,"value":..,"index":..}}. */
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
   * (or a directory) shows as the bare key. JSON: {@code {"event":"modify","key":..,"value":..,
   * "index":..}}, without {@code value} after a removal.
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
              g.writeStringField("value", p.valueAsString());
            }
            g.writeNumberField("index", p.lastIndex());
          });
      return;
    }
    StringBuilder line = new StringBuilder(update.kind().label()).append(' ').append(p.key());
    String value = p.valueAsString();
    if (!removal && !value.isEmpty()) {
      line.append(" = ").append(Text.oneLine(value));
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
    g.writeStringField("value", pair.valueAsString());
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
