package dev.valkeyrie.testsuite.linearizability;

import dev.valkeyrie.testsuite.linearizability.Operation.Kind;
import dev.valkeyrie.testsuite.linearizability.Operation.Outcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The operations on one key, numbered in invocation order, with their values numbered as {@link
 * RegisterModel} states: the compact form the search runs on.
 *
 * <p>A value that no operation reads or is conditioned on can only ever be told apart from absence
 * and from the values that are read, so all such values are one state, {@link #UNREAD}. That
 * changes no result and lets the search treat the writes of unread values as interchangeable.
 */
final class KeyHistory {

  /** The state of every value no operation reads or is conditioned on. */
  static final int UNREAD = 1;

  final String key;
  final List<Operation> ops;
  final Kind[] kinds;
  final Outcome[] outcomes;
  final int[] values;
  final int[] previous;
  final boolean[] unknown;
  final int unknownCount;
  private final List<String> valueNames = new ArrayList<>();

  KeyHistory(String key, List<Operation> operations) {
    this.key = key;
    this.ops = new ArrayList<>(operations);
    ops.sort(Comparator.comparingLong(Operation::invokedAt));
    int n = ops.size();
    kinds = new Kind[n];
    outcomes = new Outcome[n];
    values = new int[n];
    previous = new int[n];
    unknown = new boolean[n];
    Set<String> written = new HashSet<>();
    Map<String, Integer> ids = new HashMap<>();
    valueNames.add(null); // RegisterModel.ABSENT
    valueNames.add(null); // UNREAD
    for (Operation op : ops) {
      if ((op.kind() == Kind.PUT || op.kind() == Kind.ATOMIC_PUT) && !written.add(op.value())) {
        throw new IllegalArgumentException(
            "two writes of "
                + Operation.quote(op.value())
                + " to "
                + key
                + ": the checker needs every written value to be unique");
      }
      if (op.kind() == Kind.GET && op.value() != null) {
        id(ids, op.value());
      }
      if (op.previous() != null) {
        id(ids, op.previous());
      }
    }
    int unknowns = 0;
    for (int i = 0; i < n; i++) {
      Operation op = ops.get(i);
      kinds[i] = op.kind();
      outcomes[i] = op.outcome();
      values[i] = op.value() == null ? RegisterModel.ABSENT : ids.getOrDefault(op.value(), UNREAD);
      previous[i] =
          op.previous() == null ? RegisterModel.ABSENT : ids.getOrDefault(op.previous(), UNREAD);
      unknown[i] = op.unknown();
      unknowns += unknown[i] ? 1 : 0;
    }
    unknownCount = unknowns;
  }

  private void id(Map<String, Integer> ids, String value) {
    ids.computeIfAbsent(
        value,
        v -> {
          valueNames.add(v);
          return valueNames.size() - 1;
        });
  }

  int size() {
    return ops.size();
  }

  /** How many states there are: absent, {@link #UNREAD}, and each value some operation reads. */
  int stateCount() {
    return valueNames.size();
  }

  /** The state after {@code op} from {@code state}, or {@link RegisterModel#ILLEGAL}. */
  int step(int state, int op) {
    return RegisterModel.step(state, kinds[op], outcomes[op], values[op], previous[op]);
  }

  long invokedAt(int op) {
    return ops.get(op).invokedAt();
  }

  long completedAt(int op) {
    return ops.get(op).completedAt();
  }

  /** A state in words: {@code holds "c1-3"} or {@code is absent}. */
  String describeState(int state) {
    return switch (state) {
      case RegisterModel.ABSENT -> "is absent";
      case UNREAD -> "holds a value no operation read";
      default -> "holds " + Operation.quote(valueNames.get(state));
    };
  }
}
