package dev.valkeyrie.cli;

/**
 * The arguments make no sense together (for example a value and {@code --file}), found after
 * parsing. Exit code {@link ExitCodes#USAGE}.
 */
final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }

  UsageException(String message, Throwable cause) {
    super(message, cause);
  }
}
