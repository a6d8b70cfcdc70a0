package dev.valkeyrie.cli;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * {@code --timeout}: how long one request to etcd may take. A mixin of its own because {@code lock}
 * uses {@code --timeout} for how long to wait for the lock; there the request timeout can still be
 * given before the command name.
 */
final class RequestTimeoutOption {

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "How long one request to etcd may take, failing over to other members included"
              + " (default 10s).")
  @Nullable Duration timeout;
}
