package dev.valkeyrie.etcdv2;

import dev.valkeyrie.store.AccessDeniedException;
import dev.valkeyrie.store.InvalidKeyException;
import dev.valkeyrie.store.KeyExistsException;
import dev.valkeyrie.store.KeyModifiedException;
import dev.valkeyrie.store.KeyNotFoundException;
import dev.valkeyrie.store.KeyTypeException;
import dev.valkeyrie.store.StoreException;
import dev.valkeyrie.store.StoreUnavailableException;
import java.net.ConnectException;
import java.net.URI;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

/** Turns etcd errors and transport failures into the store's exceptions, in one place. */
final class Errors {
  private Errors() {}

  /**
   * The exception for an etcd error answer to {@code operation} on {@code key}.
   *
   * @param user the configured user name, for access errors; {@code null} when anonymous
   * @param write whether the request was a write: then a server error leaves its outcome unknown
   */
  public static StoreException of(
      EtcdError error, String operation, String key, @Nullable String user, boolean write) {
    String what = operation + " '" + key + "'";
    return switch (error.errorCode()) {
      case EtcdError.KEY_NOT_FOUND ->
          new KeyNotFoundException(
              "key '" + key + "' not found (" + operation + "): " + error.describe());
      case EtcdError.TEST_FAILED ->
          new KeyModifiedException(
              "key '"
                  + key
                  + "' was modified since it was read ("
                  + operation
                  + "): "
                  + error.describe());
      case EtcdError.NODE_EXIST ->
          new KeyExistsException(
              "key '" + key + "' already exists (" + operation + "): " + error.describe());
      case EtcdError.NOT_FILE ->
          new KeyTypeException(
              what
                  + " failed: '"
                  + key
                  + "' is a directory, and etcd v2 keeps values only on keys: "
                  + error.describe());
      case EtcdError.NOT_DIR ->
          new KeyTypeException(
              what
                  + " failed: a parent of '"
                  + key
                  + "' is a key with a value, not a directory: "
                  + error.describe());
      case EtcdError.DIR_NOT_EMPTY ->
          new KeyTypeException(
              what
                  + " failed: '"
                  + key
                  + "' is a directory that is not empty (use deleteTree): "
                  + error.describe());
      case EtcdError.ROOT_READ_ONLY ->
          new InvalidKeyException(what + " failed: the root is read-only: " + error.describe());
      case EtcdError.UNAUTHORIZED ->
          new AccessDeniedException(
              what
                  + " refused for "
                  + (user == null ? "anonymous access" : "user '" + user + "'")
                  + ": wrong credentials or no permission on the key: "
                  + error.describe());
      // A proposal that timed out may still be committed later: a write's outcome is unknown.
      case EtcdError.RAFT_INTERNAL, EtcdError.LEADER_ELECT ->
          new StoreUnavailableException(
              what
                  + " failed: the cluster could not serve it (no leader or no quorum)"
                  + (write ? "; the outcome is unknown: etcd may have applied the write" : "")
                  + ": "
                  + error.describe(),
              null,
              write);
      default -> new StoreException(what + " failed: " + error.describe());
    };
  }

  /**
   * The exception for a request whose exchange with {@code endpoint} got no answer. A write says
   * whether it may have been applied: only when nothing of it was sent was it certainly not.
   */
  public static StoreUnavailableException noAnswer(
      ExchangeException failure, String operation, String key, URI endpoint, boolean write) {
    boolean unknown = write && !(failure instanceof NothingSentException);
    Throwable cause = failure.getCause();
    String reason =
        failure.timedOut()
            ? "etcd at " + endpoint + " did not answer in time"
            : cause instanceof ConnectException
                ? "cannot connect to etcd at " + endpoint + ": " + cause.getMessage()
                : failure instanceof NothingSentException
                    ? "etcd at " + endpoint + " could not be reached (" + describe(cause) + ")"
                    : "connection to etcd at "
                        + endpoint
                        + " failed before the answer ("
                        + describe(cause)
                        + ")";
    return new StoreUnavailableException(
        operation + " '" + key + "': " + reason + outcome(write, unknown), failure, unknown);
  }

  /** The exception for a request whose calling thread was interrupted during the exchange. */
  public static StoreUnavailableException interrupted(
      ExchangeException failure, String operation, String key, URI endpoint, boolean write) {
    boolean unknown = write && !(failure instanceof NothingSentException);
    return new StoreUnavailableException(
        operation
            + " '"
            + key
            + "' to etcd at "
            + endpoint
            + " interrupted"
            + outcome(write, unknown),
        failure,
        unknown);
  }

  private static String outcome(boolean write, boolean unknown) {
    return !write
        ? ""
        : unknown
            ? "; the outcome is unknown: etcd may have applied the write"
            : "; nothing was sent, so it was not applied";
  }

  /** A failure's kind and message, for a message of ours: never its stack or its causes. */
  public static String describe(@Nullable Throwable failure) {
    if (failure == null) {
      return "no detail";
    }
    String message = failure.getMessage();
    return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  /** The exception behind {@link CompletionException} and {@link ExecutionException} wrappers. */
  public static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
