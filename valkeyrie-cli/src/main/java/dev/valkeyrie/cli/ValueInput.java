package dev.valkeyrie.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * The value of {@code put} and {@code cas} ({@link WriteArguments}): the literal {@code VALUE} (as
 * UTF-8), standard input for {@code -}, or a file with {@code --file}; the last two byte for byte.
 */
final class ValueInput {
  private ValueInput() {}

  /**
   * @throws UsageException if no value or two values are given, or the input cannot be read
   */
  static byte[] read(@Nullable String value, @Nullable Path file, InputStream stdin) {
    if (value != null && file != null) {
      throw new UsageException("give the value either as VALUE or with --file, not both");
    }
    if (file != null) {
      try {
        return Files.readAllBytes(file);
      } catch (NoSuchFileException e) {
        throw new UsageException("cannot read --file " + file + ": no such file", e);
      } catch (IOException e) {
        throw new UsageException("cannot read --file " + file + ": " + e, e);
      }
    }
    if (value == null) {
      throw new UsageException("missing VALUE (or - to read standard input, or --file FILE)");
    }
    if (value.equals("-")) {
      try {
        return stdin.readAllBytes();
      } catch (IOException e) {
        throw new UsageException("cannot read the value from standard input: " + e, e);
      }
    }
    return value.getBytes(StandardCharsets.UTF_8);
  }
}
