package dev.valkeyrie.testsuite.linearizability;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One recorded operation on one key: who called it, when, with what, and how it ended. The element
 * of the histories {@link LinearizabilityChecker} checks.
 *
 * <p>Values are strings and every write in a history writes a value no other write wrote, so a
 * value identifies the write that made it: a compare-and-swap against a pair read earlier is a
 * comparison with that pair's value ({@code previous}).
 *
 * <p>Times are from one clock shared by all clients, read just before the call ({@code invokedAt})
 * and just after it returned or threw ({@code completedAt}); only their order matters. An operation
 * whose outcome is {@link Outcome#UNKNOWN} is treated as never completing: it may take effect at
 * any point after {@code invokedAt}, or not at all.
 *
 * @param client the calling client's id
 * @param key the key
 * @param kind what was called
 * @param value for {@link Kind#PUT} and {@link Kind#ATOMIC_PUT} the value written; for {@link
 *     Kind#GET} with {@link Outcome#OK} the value read; otherwise {@code null}
 * @param previous for {@link Kind#ATOMIC_PUT} and {@link Kind#ATOMIC_DELETE} the value of the
 *     previously read pair the call was conditioned on; {@code null} for a create-only {@link
 *     Kind#ATOMIC_PUT} and for the other kinds
 * @param index the store index the call returned (a {@link Kind#GET} or {@link Kind#ATOMIC_PUT}
 *     with {@link Outcome#OK}), otherwise 0
 * @param invokedAt the clock just before the call
 * @param completedAt the clock just after it returned or failed; at least {@code invokedAt}
 * @param outcome how it ended
 */
public record Operation(
    int client,
    String key,
    Kind kind,
    @Nullable String value,
    @Nullable String previous,
    long index,
    long invokedAt,
    long completedAt,
    @Nullable Outcome outcome) {

  /** The {@link dev.valkeyrie.store.Store} call an operation made. */
  public enum Kind {
    /** {@code put(key, value)}. */
    PUT,
    /** {@code get(key)}, a consistent read. */
    GET,
    /** {@code atomicPut(key, value, previous)}; create-only when {@code previous} is null. */
    ATOMIC_PUT,
    /** {@code atomicDelete(key, previous)}. */
    ATOMIC_DELETE,
    /** {@code delete(key)}. */
    DELETE
  }

  /** How an operation ended. All but {@link #UNKNOWN} are definite. */
  public enum Outcome {
    /** It succeeded (a {@link Kind#GET} found the key). */
    OK,
    /** {@code KeyNotFoundException}: the key was absent. */
    NOT_FOUND,
    /** {@code KeyExistsException}: a create-only write found the key present. */
    EXISTS,
    /** {@code KeyModifiedException}: the key held another value than {@code previous}. */
    MODIFIED,
    /** A write that may or may not have been applied, at any time after it was invoked. */
    UNKNOWN
  }

  public Operation {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(outcome, "outcome");
    if (completedAt < invokedAt) {
      throw new IllegalArgumentException(
          "completed before invoked: " + invokedAt + " > " + completedAt);
    }
    if (!allowed(kind, outcome, previous)) {
      throw new IllegalArgumentException(
          kind
              + " cannot end "
              + outcome
              + (kind == Kind.ATOMIC_PUT
                  ? (previous == null ? " (create-only)" : " (with previous)")
                  : ""));
    }
    boolean writes = kind == Kind.PUT || kind == Kind.ATOMIC_PUT;
    boolean reads = kind == Kind.GET && outcome == Outcome.OK;
    if ((writes || reads) != (value != null)) {
      throw new IllegalArgumentException(
          kind + " " + outcome + (value == null ? " needs" : " has no") + " value");
    }
    if (kind == Kind.ATOMIC_DELETE && previous == null) {
      throw new IllegalArgumentException("ATOMIC_DELETE needs previous");
    }
    if (previous != null && kind != Kind.ATOMIC_PUT && kind != Kind.ATOMIC_DELETE) {
      throw new IllegalArgumentException(kind + " has no previous");
    }
  }

  /** Whether the outcome can end a call of {@code kind}, as the Store contract specifies it. */
  static boolean allowed(Kind kind, Outcome outcome, @Nullable String previous) {
    return switch (kind) {
      case PUT -> outcome == Outcome.OK || outcome == Outcome.UNKNOWN;
      case GET -> outcome == Outcome.OK || outcome == Outcome.NOT_FOUND;
      case DELETE -> outcome != Outcome.EXISTS && outcome != Outcome.MODIFIED;
      case ATOMIC_PUT ->
          previous == null
              ? outcome != Outcome.MODIFIED && outcome != Outcome.NOT_FOUND
              : outcome != Outcome.EXISTS;
      case ATOMIC_DELETE -> outcome != Outcome.EXISTS;
    };
  }

  /** Whether the outcome is {@link Outcome#UNKNOWN}. */
  public boolean unknown() {
    return outcome == Outcome.UNKNOWN;
  }

  /** For example {@code c2 atomicPut "c2-7" if "c1-3" -> MODIFIED [41..44]}. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("c").append(client).append(' ');
    switch (kind) {
      case PUT -> text.append("put ").append(quote(value));
      case GET -> text.append("get");
      case ATOMIC_PUT ->
          text.append("atomicPut ")
              .append(quote(value))
              .append(previous == null ? " if absent" : " if " + quote(previous));
      case ATOMIC_DELETE -> text.append("atomicDelete if ").append(quote(previous));
      case DELETE -> text.append("delete");
    }
    text.append(" -> ");
    if (kind == Kind.GET && outcome == Outcome.OK) {
      text.append(quote(value)).append('@').append(index);
    } else if (kind == Kind.ATOMIC_PUT && outcome == Outcome.OK) {
      text.append("OK@").append(index);
    } else {
      text.append(outcome);
    }
    text.append(" [").append(invokedAt).append("..");
    return text.append(outcome == Outcome.UNKNOWN ? "?" : String.valueOf(completedAt))
        .append(']')
        .toString();
  }

  static String quote(@Nullable String value) {
    return value == null ? "absent" : '"' + value + '"';
  }
}
