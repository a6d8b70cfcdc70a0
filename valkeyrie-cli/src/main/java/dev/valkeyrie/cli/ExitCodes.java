package dev.valkeyrie.cli;

import dev.valkeyrie.etcd.launcher.EtcdStartException;
import dev.valkeyrie.etcdv2.V2ApiNotEnabledException;
import dev.valkeyrie.store.AccessDeniedException;
import dev.valkeyrie.store.CallNotSupportedException;
import dev.valkeyrie.store.CannotLockException;
import dev.valkeyrie.store.InvalidConfigurationException;
import dev.valkeyrie.store.InvalidKeyException;
import dev.valkeyrie.store.InvalidValueException;
import dev.valkeyrie.store.KeyExistsException;
import dev.valkeyrie.store.KeyModifiedException;
import dev.valkeyrie.store.KeyNotFoundException;
import dev.valkeyrie.store.KeyTypeException;
import dev.valkeyrie.store.LockNotHeldException;
import dev.valkeyrie.store.PreviousNotSpecifiedException;
import dev.valkeyrie.store.StoreException;
import dev.valkeyrie.store.UnknownBackendException;
import dev.valkeyrie.store.WatchClosedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.ParameterException;

/**
 * The exit codes of the command, and the one place that maps failures to them.
 *
 * <table>
 *   <caption>Exit codes</caption>
 *   <tr><td>0</td><td>success ({@code exists}: the key exists; {@code watch}: ended by Ctrl-C)</td></tr>
 *   <tr><td>1</td><td>the store said no: key not found, compare failed, key exists, key is a
 *       directory (or not one), lock not acquired within {@code --timeout}</td></tr>
 *   <tr><td>2</td><td>usage: bad arguments, invalid key or value (including values that are not
 *       UTF-8 on etcd v2), unusable configuration (TLS files, credentials, an etcd without the v2
 *       API for the etcdv2 backend)</td></tr>
 *   <tr><td>3</td><td>store unavailable: no endpoint answered in time, no quorum, or the local
 *       etcd could not be started (or is not installed)</td></tr>
 *   <tr><td>4</td><td>{@code lock}: the lock was lost while the command ran; the command was
 *       stopped</td></tr>
 *   <tr><td>5</td><td>access denied: wrong credentials or no permission on the key</td></tr>
 *   <tr><td>70</td><td>internal error (a bug: run with {@code --debug} for the stack trace)</td></tr>
 *   <tr><td>126, 127</td><td>{@code lock}: the command could not be run, or was not found</td></tr>
 *   <tr><td>128+n</td><td>ended by signal n while waiting (130 for Ctrl-C); 141 when standard
 *       output was closed by its reader</td></tr>
 * </table>
 *
 * <p>Once {@code lock} has run its command, it exits with the command's own exit code.
 */
final class ExitCodes {
  static final int OK = 0;
  static final int NO = 1;
  static final int USAGE = 2;
  static final int UNAVAILABLE = 3;
  static final int LOCK_LOST = 4;
  static final int ACCESS_DENIED = 5;
  static final int INTERNAL = 70;
  static final int CANNOT_EXECUTE = 126;
  static final int COMMAND_NOT_FOUND = 127;

  /** Standard output was closed by its reader: as if ended by SIGPIPE. */
  static final int OUTPUT_CLOSED = 141;

  /** The {@code exitCodeList} of the help text, in the same order as the table above. */
  static final String[] HELP = {
    "0:success",
    "1:key not found, compare failed, key exists or has the wrong type, lock timeout",
    "2:usage error, invalid key or value (etcdv2: values must be UTF-8), unusable configuration"
        + " (also: the v2 API is off)",
    "3:store unavailable (no endpoint answered, no quorum, local etcd could not start)",
    "4:lock: the lock was lost while the command ran (the command was stopped)",
    "5:access denied (credentials or permissions)",
    "70:internal error (run with --debug)",
    "126/127:lock: the command could not be run / was not found",
    "130:interrupted while waiting (Ctrl-C); watch ends on Ctrl-C with 0",
    "141:standard output was closed by its reader (e.g. watch ... | head -n 3)",
  };

  private ExitCodes() {}

  /** The exit code for a failure thrown by a command. */
  static int of(Throwable failure) {
    Throwable t = unwrap(failure);
    if (t instanceof ParameterException || t instanceof UsageException) {
      return USAGE;
    }
    if (t instanceof OutputClosedException) {
      return OUTPUT_CLOSED;
    }
    if (t instanceof KeyNotFoundException
        || t instanceof KeyModifiedException
        || t instanceof KeyExistsException
        || t instanceof KeyTypeException
        || t instanceof CannotLockException
        || t instanceof LockNotHeldException) {
      return NO;
    }
    if (t instanceof InvalidKeyException
        || t instanceof InvalidValueException
        || t instanceof InvalidConfigurationException
        || t instanceof PreviousNotSpecifiedException
        || t instanceof CallNotSupportedException
        || t instanceof UnknownBackendException) {
      return USAGE;
    }
    if (t instanceof AccessDeniedException) {
      return ACCESS_DENIED;
    }
    if (t instanceof StoreException || t instanceof EtcdStartException) {
      return UNAVAILABLE; // StoreUnavailable, StoreClosed, WatchClosed, and etcd errors without a
      // class
    }
    if (t instanceof IOException || t instanceof UncheckedIOException) {
      return USAGE; // reading a value from a file or standard input
    }
    return INTERNAL;
  }

  /** The exit code of a process ended by a signal, as shells report it. */
  static int signalled(String signal) {
    return 128
        + switch (signal) {
          case "HUP" -> 1;
          case "INT" -> 2;
          case "TERM" -> 15;
          default -> 0;
        };
  }

  /**
   * The failure that decides the exit code and message: wrappers are looked through, and so are
   * exceptions that only report the end of something (a closed watch, a lock that could not be
   * taken) when their cause is a store failure.
   */
  static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while (t.getCause() != null
        && (t instanceof ExecutionException
            || t instanceof CompletionException
            || t instanceof UncheckedIOException
            || ((t instanceof WatchClosedException || t instanceof CannotLockException)
                && t.getCause() instanceof StoreException))) {
      t = t.getCause();
    }
    return t;
  }

  /** The first line of the failure's message: the line printed on standard error. */
  static String message(Throwable failure) {
    Throwable t = unwrap(failure);
    String message = t.getMessage();
    if (message == null || message.isBlank()) {
      return t.getClass().getSimpleName();
    }
    int newline = message.indexOf('\n');
    String line = (newline < 0 ? message : message.substring(0, newline)).strip();
    if (t instanceof V2ApiNotEnabledException) {
      return line + "; try --backend etcdv3";
    }
    if (t instanceof IOException) {
      return t.getClass().getSimpleName() + ": " + line;
    }
    return line;
  }
}
