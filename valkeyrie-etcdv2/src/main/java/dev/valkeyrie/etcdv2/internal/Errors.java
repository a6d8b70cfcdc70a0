package dev.valkeyrie.etcdv2.internal;

import dev.valkeyrie.store.AccessDeniedException;
import dev.valkeyrie.store.InvalidKeyException;
import dev.valkeyrie.store.KeyExistsException;
import dev.valkeyrie.store.KeyModifiedException;
import dev.valkeyrie.store.KeyNotFoundException;
import dev.valkeyrie.store.KeyTypeException;
import dev.valkeyrie.store.StoreException;
import dev.valkeyrie.store.StoreUnavailableException;
import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/** Turns etcd errors and transport failures into the store's exceptions, in one place. */
public final class Errors {
  private Errors() {}

  /**
   * The exception for an etcd error answer to {@code operation} on {@code key}.
   *
   * @param user the configured user name, for access errors; {@code null} when anonymous
   */
  public static StoreException of(EtcdError error, String operation, String key, String user) {
    String what = operation + " '" + key + "'";
    return switch (error.errorCode()) {
      case EtcdError.KEY_NOT_FOUND -> new KeyNotFoundException(
          "key '" + key + "' not found (" + operation + "): " + error.describe());
      case EtcdError.TEST_FAILED -> new KeyModifiedException(
          "key '" + key + "' was modified since it was read (" + operation + "): "
              + error.describe());
      case EtcdError.NODE_EXIST -> new KeyExistsException(
          "key '" + key + "' already exists (" + operation + "): " + error.describe());
      case EtcdError.NOT_FILE -> new KeyTypeException(
          what + " failed: '" + key + "' is a directory, and etcd v2 keeps values only on keys: "
              + error.describe());
      case EtcdError.NOT_DIR -> new KeyTypeException(
          what + " failed: a parent of '" + key + "' is a key with a value, not a directory: "
              + error.describe());
      case EtcdError.DIR_NOT_EMPTY -> new KeyTypeException(
          what + " failed: '" + key + "' is a directory that is not empty (use deleteTree): "
              + error.describe());
      case EtcdError.ROOT_READ_ONLY -> new InvalidKeyException(
          what + " failed: the root is read-only: " + error.describe());
      case EtcdError.UNAUTHORIZED -> new AccessDeniedException(
          what + " refused for " + (user == null ? "anonymous access" : "user '" + user + "'")
              + ": wrong credentials or no permission on the key: " + error.describe());
      case EtcdError.RAFT_INTERNAL, EtcdError.LEADER_ELECT -> new StoreUnavailableException(
          what + " failed: the cluster could not serve it (no leader or no quorum); if it was a"
              + " write, it may or may not have been applied: " + error.describe());
      default -> new StoreException(what + " failed: " + error.describe());
    };
  }

  /** The exception for a request that got no usable answer from {@code endpoint}. */
  public static StoreException transport(
      Throwable failure, String operation, String key, String endpoint) {
    Throwable cause = unwrap(failure);
    if (cause instanceof StoreException store) {
      return store;
    }
    String what = operation + " '" + key + "'";
    if (cause instanceof TimeoutException) {
      return new StoreUnavailableException(
          what + ": etcd at " + endpoint + " did not answer in time", cause);
    }
    if (cause instanceof ConnectException) {
      return new StoreUnavailableException(
          what + ": cannot connect to etcd at " + endpoint + ": " + cause.getMessage(), cause);
    }
    if (cause instanceof IOException) {
      return new StoreUnavailableException(
          what + ": connection to etcd at " + endpoint + " failed: " + cause, cause);
    }
    if (cause instanceof CancellationException) {
      return new StoreUnavailableException(what + ": cancelled", cause);
    }
    return new StoreException(what + ": unexpected failure talking to " + endpoint, cause);
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
