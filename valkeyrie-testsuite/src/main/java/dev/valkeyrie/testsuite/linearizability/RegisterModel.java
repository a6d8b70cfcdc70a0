package dev.valkeyrie.testsuite.linearizability;

import dev.valkeyrie.testsuite.linearizability.Operation.Kind;
import dev.valkeyrie.testsuite.linearizability.Operation.Outcome;

/**
 * The sequential specification of one key: a register whose state is the value it holds, or
 * absence. Values are numbered per key ({@link #ABSENT} is 0), so a state is an int.
 *
 * <p>Because every write writes a distinct value, "the key still holds the write {@code previous}
 * was read from" (etcd's {@code prevIndex}) is "the state is {@code previous}'s value", and a
 * create-only write is conditioned on the state being {@link #ABSENT}: both are {@code state ==
 * previous}, with a create-only's {@code previous} being {@link #ABSENT}.
 */
final class RegisterModel {

  /** The state of an absent key, and the {@code previous} of a create-only write. */
  static final int ABSENT = 0;

  /** What {@link #step} returns when the operation's result cannot happen in that state. */
  static final int ILLEGAL = -1;

  private RegisterModel() {}

  /**
   * The state after the operation, or {@link #ILLEGAL} if its outcome is impossible in {@code
   * state}. An {@link Outcome#UNKNOWN} write is applied if its condition holds, else it changes
   * nothing (it failed); "never applied" is placing it after everything else.
   */
  static int step(int state, Kind kind, Outcome outcome, int value, int previous) {
    return switch (kind) {
      case PUT -> value;
      case GET ->
          outcome == Outcome.OK
              ? (state == value ? state : ILLEGAL)
              : (state == ABSENT ? state : ILLEGAL);
      case DELETE ->
          switch (outcome) {
            case OK -> state != ABSENT ? ABSENT : ILLEGAL;
            case NOT_FOUND -> state == ABSENT ? state : ILLEGAL;
            default -> ABSENT; // UNKNOWN: deleted if present, and absent already if not
          };
      case ATOMIC_PUT, ATOMIC_DELETE -> {
        int applied = kind == Kind.ATOMIC_PUT ? value : ABSENT;
        yield switch (outcome) {
          case OK -> state == previous ? applied : ILLEGAL;
          case EXISTS -> previous == ABSENT && state != ABSENT ? state : ILLEGAL;
          case MODIFIED -> state != ABSENT && state != previous ? state : ILLEGAL;
          case NOT_FOUND -> previous != ABSENT && state == ABSENT ? state : ILLEGAL;
          case UNKNOWN -> state == previous ? applied : state;
        };
      }
    };
  }
}
