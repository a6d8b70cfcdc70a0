package dev.valkeyrie.cli;

/**
 * Standard output was closed by its reader ({@code valkeyrie watch k | head -n 3}): the command
 * ends quietly with exit code 141, as a process ended by SIGPIPE would (the JVM ignores SIGPIPE).
 */
final class OutputClosedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  OutputClosedException() {
    super("standard output is closed");
  }
}
