package dev.valkeyrie.cli;

import dev.valkeyrie.store.WriteOptions;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What {@code put} and {@code cas} write, mixed into both ({@code @Mixin}): the value ({@code
 * VALUE}, {@code -} for standard input, or {@code --file}) and {@code --ttl}. Each is declared,
 * described and checked here only. {@code VALUE} has no index of its own: picocli numbers it after
 * the positional parameters declared before the mixin, the command's {@code KEY}.
 */
final class WriteArguments {

  @Parameters(
      arity = "0..1",
      paramLabel = "VALUE",
      description = "The value; - reads standard input.")
  @Nullable String value;

  @Option(
      names = {"-f", "--file"},
      paramLabel = "FILE",
      description = "Read the value from FILE.")
  @Nullable Path file;

  @Option(
      names = "--ttl",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Delete the key after this long (whole seconds, rounded up), e.g. 30s.")
  @Nullable Duration ttl;

  /** Whether a value was given at all, as {@code VALUE} or with {@code --file}. */
  boolean valueGiven() {
    return value != null || file != null;
  }

  /**
   * The value's bytes ({@link ValueInput}).
   *
   * @throws UsageException if no value or two values are given, or the input cannot be read
   */
  byte[] read(InputStream stdin) {
    return ValueInput.read(value, file, stdin);
  }

  /** Write options with {@code --ttl} set (no TTL when it was not given). */
  WriteOptions.Builder options() {
    return WriteOptions.builder().ttl(ttl == null ? Duration.ZERO : ttl);
  }
}
