package dev.valkeyrie.testsuite.linearizability;

import dev.valkeyrie.testsuite.linearizability.Operation.Kind;
import dev.valkeyrie.testsuite.linearizability.Operation.Outcome;
import java.util.List;
import java.util.Objects;

/**
 * The definition of linearizability, executed by brute force for tiny single-key histories: tries
 * every order that respects real time, with each unknown operation either placed somewhere or left
 * out. Independent of the checker's model and search, so it can judge them.
 */
final class ExhaustiveChecker {

  private static final String ILLEGAL = "\0illegal";

  private ExhaustiveChecker() {}

  static boolean linearizable(List<Operation> ops) {
    return search(ops, new boolean[ops.size()], null);
  }

  private static boolean search(List<Operation> ops, boolean[] used, String state) {
    boolean definiteLeft = false;
    for (int i = 0; i < ops.size(); i++) {
      if (!used[i] && !ops.get(i).unknown()) {
        definiteLeft = true;
      }
    }
    if (!definiteLeft) {
      return true; // the unknown ones left over were never applied
    }
    for (int i = 0; i < ops.size(); i++) {
      if (used[i] || !minimal(ops, used, i)) {
        continue;
      }
      String after = apply(ops.get(i), state);
      if (ILLEGAL.equals(after)) { // no value written is ever equal to it
        continue;
      }
      used[i] = true;
      boolean found = search(ops, used, after);
      used[i] = false;
      if (found) {
        return true;
      }
    }
    return false;
  }

  /** No operation still to place completed before this one was invoked. */
  private static boolean minimal(List<Operation> ops, boolean[] used, int i) {
    for (int j = 0; j < ops.size(); j++) {
      Operation other = ops.get(j);
      if (!used[j] && !other.unknown() && other.completedAt() < ops.get(i).invokedAt()) {
        return false;
      }
    }
    return true;
  }

  private static String apply(Operation op, String state) {
    boolean holds = Objects.equals(state, op.previous());
    Outcome outcome = op.outcome();
    return switch (op.kind()) {
      case PUT -> op.value();
      case GET ->
          Objects.equals(state, outcome == Outcome.OK ? op.value() : null) ? state : ILLEGAL;
      case DELETE ->
          switch (outcome) {
            case OK -> state != null ? null : ILLEGAL;
            case NOT_FOUND -> state == null ? null : ILLEGAL;
            default -> null;
          };
      default -> {
        String applied = op.kind() == Kind.ATOMIC_PUT ? op.value() : null;
        yield switch (outcome) {
          case OK -> holds ? applied : ILLEGAL;
          case UNKNOWN -> holds ? applied : state;
          case EXISTS -> state != null ? state : ILLEGAL;
          case NOT_FOUND -> state == null ? state : ILLEGAL;
          case MODIFIED -> state != null && !holds ? state : ILLEGAL;
        };
      }
    };
  }
}
