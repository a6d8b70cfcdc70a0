package dev.valkeyrie.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What one run of the command reads and writes, and the environment it sees. {@link Main} passes
 * the process's own; tests and the start-up training pass their own.
 *
 * @param in standard input (values given as {@code -})
 * @param out standard output; written as bytes, UTF-8 for text
 * @param err standard error, UTF-8
 * @param env the environment ({@code VALKEYRIE_ENDPOINTS}, {@code VALKEYRIE_PASSWORD}, ...)
 */
record Io(InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {

  Io {
    env = Map.copyOf(env);
  }

  /** An environment variable, or {@code null} when unset or blank. */
  @Nullable String env(String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? null : value;
  }
}
