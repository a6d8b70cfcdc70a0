package dev.valkeyrie.etcdv3;

import dev.valkeyrie.store.AccessDeniedException;
import dev.valkeyrie.store.InvalidKeyException;
import dev.valkeyrie.store.InvalidValueException;
import dev.valkeyrie.store.KeyNotFoundException;
import dev.valkeyrie.store.StoreException;
import dev.valkeyrie.store.StoreUnavailableException;
import io.grpc.Status;
import java.net.URI;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * Turns gRPC statuses and etcd's errors into the store's exceptions, in one place (the reference's
 * table 2.5). Messages name the operation, the key and the member, and carry etcd's own text; never
 * a token, a password or a value.
 */
final class Errors {
  private Errors() {}

  /** How a failed attempt counts for the retry rule. */
  enum Failure {
    /**
     * The member could not serve it, or did not answer (UNAVAILABLE, DEADLINE_EXCEEDED, UNKNOWN
     * "context deadline exceeded", a broken connection): another member may. A write that was sent
     * has an unknown outcome.
     */
    UNAVAILABLE,
    /**
     * The member could not serve it and said so before doing anything ("no leader" from the {@code
     * hasleader} check, "too many requests"): another member may, and even a write that was sent
     * was not applied.
     */
    REFUSED,
    /** An answer: the cluster served the request and refused it for a reason of its own. */
    ANSWER
  }

  static Failure classify(Status status) {
    String description = description(status);
    return switch (status.getCode()) {
      case UNAVAILABLE ->
          description.contains("etcdserver: no leader") ? Failure.REFUSED : Failure.UNAVAILABLE;
      case RESOURCE_EXHAUSTED ->
          description.contains("too many requests") ? Failure.REFUSED : Failure.ANSWER;
      case DEADLINE_EXCEEDED, CANCELLED, ABORTED -> Failure.UNAVAILABLE;
      case UNKNOWN ->
          // "context deadline exceeded" is a write without quorum (pitfall 23); anything else
          // unknown is treated the same way: the member may have done the work.
          Failure.UNAVAILABLE;
      case INTERNAL ->
          // A connection that broke mid-frame, or a protocol error: treat as unavailable.
          description.contains("etcdserver:") ? Failure.ANSWER : Failure.UNAVAILABLE;
      default -> Failure.ANSWER;
    };
  }

  /**
   * The exception for an answer that refused the request ({@link Failure#ANSWER}).
   *
   * @param user the configured user name, for access errors; {@code null} when anonymous
   */
  static StoreException of(Status status, Op op, @Nullable String user) {
    String what = op.what();
    String etcd = description(status);
    switch (status.getCode()) {
      case PERMISSION_DENIED -> {
        return new AccessDeniedException(
            what + " refused for " + who(user) + ": no permission on the key (" + etcd + ")");
      }
      case UNAUTHENTICATED -> {
        return new AccessDeniedException(
            what
                + " refused for "
                + who(user)
                + ": etcd refused the authentication token even after authenticating again ("
                + etcd
                + ")");
      }
      case INVALID_ARGUMENT -> {
        if (etcd.contains("user name is empty")) {
          return new AccessDeniedException(
              what
                  + " refused: etcd has authentication enabled and"
                  + " the store sent no credentials; configure a username and password (or a client"
                  + " certificate whose common name is an etcd user) ("
                  + etcd
                  + ")");
        }
        if (etcd.contains("authentication failed")) {
          return new AccessDeniedException(
              what + " refused for " + who(user) + ": wrong user name or password (" + etcd + ")");
        }
        if (etcd.contains("request is too large")) {
          return new InvalidValueException(
              what
                  + " refused: the request is larger than the"
                  + " cluster's --max-request-bytes; set EtcdV3Config.maxRequestBytes to the"
                  + " cluster's value to have such requests refused before sending ("
                  + etcd
                  + ")");
        }
        if (etcd.contains("key is not provided")) {
          return new InvalidKeyException(what + " refused: empty key (" + etcd + ")");
        }
        if (etcd.contains("key not found")) {
          return new KeyNotFoundException(
              "key '" + op.key() + "' not found (" + op.operation() + "): " + etcd);
        }
        return new StoreException(what + " refused by etcd: " + etcd);
      }
      case OUT_OF_RANGE -> {
        if (etcd.contains("too large lease TTL")) {
          return new InvalidValueException(
              what + " refused: the TTL is longer than etcd allows (" + etcd + ")");
        }
        return new StoreException(what + " refused by etcd: " + etcd);
      }
      case RESOURCE_EXHAUSTED -> {
        if (etcd.contains("database space exceeded")) {
          return new StoreException(
              what
                  + " refused: etcd's database is full (NOSPACE alarm);"
                  + " an operator must compact, defragment and disarm the alarm ("
                  + etcd
                  + ")");
        }
        if (etcd.contains("received message larger than max")) {
          return new InvalidValueException(
              what + " refused: the request is larger than etcd's" + " gRPC limit (" + etcd + ")");
        }
        if (etcd.contains("exceeds maximum size")) {
          return new StoreException(
              what
                  + ": etcd's answer is larger than"
                  + " EtcdV3Config.maxInboundMessageBytes ("
                  + etcd
                  + ")");
        }
        return new StoreException(what + " refused by etcd: " + etcd);
      }
      default -> {
        return new StoreException(what + " failed: " + status.getCode() + " " + etcd);
      }
    }
  }

  /**
   * The exception for a request that no member served in time.
   *
   * @param unknown whether it was a write that may have been applied
   */
  static StoreUnavailableException unavailable(Status status, Op op, URI member, boolean unknown) {
    String reason;
    String etcd = description(status);
    if (status.getCode() == Status.Code.DEADLINE_EXCEEDED) {
      reason = "etcd at " + member + " did not answer in time";
    } else if (status.getCode() == Status.Code.CANCELLED) {
      reason = "etcd at " + member + " did not take the request in time";
    } else if (status.getCode() == Status.Code.UNAVAILABLE && !etcd.startsWith("etcdserver:")) {
      reason = "cannot reach etcd at " + member + " (" + etcd + ")";
    } else {
      reason = "etcd at " + member + " could not serve it (" + status.getCode() + " " + etcd + ")";
    }
    return new StoreUnavailableException(
        op.what() + ": " + reason + outcome(op, unknown), status.asRuntimeException(), unknown);
  }

  /** The exception for a request whose calling thread was interrupted. */
  static StoreUnavailableException interrupted(Op op, URI member, boolean unknown) {
    return new StoreUnavailableException(
        op.what() + " to etcd at " + member + " interrupted" + outcome(op, unknown), null, unknown);
  }

  /** The exception for a store that no member could even be asked by (no token, say). */
  static StoreUnavailableException notSent(Op op, String reason, @Nullable Throwable cause) {
    return new StoreUnavailableException(
        op.what() + ": " + reason + outcome(op, false), cause, false);
  }

  private static String outcome(Op op, boolean unknown) {
    return !op.isWrite()
        ? ""
        : unknown
            ? "; the outcome is unknown: etcd may have applied the write"
            : "; it was not applied";
  }

  private static String who(@Nullable String user) {
    return user == null ? "anonymous access" : "user '" + user + "'";
  }

  /** etcd's text of a status ("etcdserver: ..."), or its code when it has none. */
  static String description(Status status) {
    String description = status.getDescription();
    if (description == null || description.isEmpty()) {
      Throwable cause = status.getCause();
      return cause == null ? status.getCode().toString() : describe(cause);
    }
    return description;
  }

  /** A failure's kind and message, for a message of ours: never its stack or its causes. */
  static String describe(@Nullable Throwable failure) {
    if (failure == null) {
      return "no detail";
    }
    String message = failure.getMessage();
    return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  /** The exception behind {@link CompletionException} and {@link ExecutionException} wrappers. */
  static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
