package dev.valkeyrie.testsuite.linearizability;

import dev.valkeyrie.testsuite.linearizability.Operation.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Wing and Gong's search for a linearization of one key's history, with Lowe's memoization: the
 * algorithm of Knossos' "linear" checker and of Porcupine.
 *
 * <p>The operations with a definite outcome are a doubly linked list of call and return entries in
 * time order. The search tries to linearize next each operation whose call comes before the first
 * return of the list (its model step is legal, and the resulting configuration of linearized set
 * and state was not seen before); when it can, it takes the operation out of the list and goes
 * on; when no candidate is left it undoes the last operation and tries the candidate after it. It
 * succeeds when the list is empty.
 *
 * <p>Operations of unknown outcome never return, so they never end the candidates and may stay
 * unplaced (never applied). Left as plain candidates, every subset of them would be a separate
 * configuration at every point of the history, so they are kept apart and pruned:
 *
 * <ul>
 *   <li>a conditional one is a candidate only in the state it is conditioned on, a delete only
 *       when the key is present: elsewhere it would change nothing, which is not placing it;
 *   <li>nothing that overwrites unconditionally ({@link Kind#PUT}) is placed right after one:
 *       its effect would be seen by no one, and leaving it out reaches the same state with more
 *       choices left (whether the last placed operation was unknown is part of the memoized
 *       configuration, so memoization stays exact);
 *   <li>puts of values no one reads are interchangeable, so only the earliest pending one is a
 *       candidate.
 * </ul>
 */
final class KeySearch {

  private static final int NONE = -1;
  // Candidate sources, tried in this order.
  private static final int DEFINITE = 0;
  private static final int CONDITIONAL = 1;
  private static final int DELETES = 2;
  private static final int READ_PUTS = 3;
  private static final int UNREAD_PUTS = 4;
  private static final int DONE = 5;

  private final KeyHistory history;
  private final long maxSteps;
  private final int n;
  private final int[] next;
  private final int[] prev;

  /**
   * The deepest point the search reached before it had to backtrack.
   *
   * @param linearized the operations placed, in order
   * @param state the state after them
   * @param candidates the operations that could have come next, none of which could be placed;
   *     the last is the one whose return is first, which had to be placed by then
   */
  record Deepest(int[] linearized, int state, int[] candidates) {}

  /** How the search ended. */
  record Result(Verdict verdict, long steps, Deepest deepest) {}

  KeySearch(KeyHistory history, long maxSteps) {
    this.history = history;
    this.maxSteps = maxSteps;
    this.n = history.size();
    int nodes = 2 * n + DONE + history.stateCount(); // the heads: one per source, one per state
    next = new int[nodes];
    prev = new int[nodes];
    link();
  }

  /**
   * Node {@code 2i} is the call of operation {@code i}, {@code 2i + 1} the return of a definite
   * one. Each source list has a head node after them.
   */
  private void link() {
    for (int head = 2 * n; head < next.length; head++) {
      next[head] = NONE;
      prev[head] = head; // the tail of an empty list is its head
    }
    List<Integer> entries = new ArrayList<>();
    for (int op = 0; op < n; op++) {
      if (history.unknown[op]) {
        append(unknownList(op), 2 * op); // operations are numbered in invocation order
      } else {
        entries.add(2 * op);
        entries.add(2 * op + 1);
      }
    }
    // Calls before returns at equal times: operations touching at a point count as concurrent.
    entries.sort(Comparator.comparingLong(this::time).thenComparingInt(e -> e & 1));
    entries.forEach(entry -> append(head(DEFINITE), entry));
  }

  private int unknownList(int op) {
    return switch (history.kinds[op]) {
      case PUT -> head(history.values[op] == KeyHistory.UNREAD ? UNREAD_PUTS : READ_PUTS);
      case DELETE -> head(DELETES);
      default -> conditionalHead(history.previous[op]);
    };
  }

  private int head(int source) {
    return 2 * n + source;
  }

  private int conditionalHead(int state) {
    return 2 * n + DONE + state;
  }

  private void append(int head, int node) {
    int tail = prev[head];
    next[tail] = node;
    prev[node] = tail;
    next[node] = NONE;
    prev[head] = node;
  }

  private long time(int entry) {
    int op = entry >> 1;
    return (entry & 1) == 0 ? history.invokedAt(op) : history.completedAt(op);
  }

  Result run() {
    LinearizedSet linearized = new LinearizedSet(n);
    int[] stackOp = new int[n];
    int[] stackState = new int[n];
    int[] stackSource = new int[n];
    boolean[] stackAfterUnknown = new boolean[n];
    int depth = 0;
    int state = RegisterModel.ABSENT;
    boolean afterUnknown = false;
    long steps = 0;
    Deepest deepest = null;
    int source = DEFINITE;
    int node = head(DEFINITE);
    int firstReturn = firstReturn();
    while (firstReturn != NONE) {
      int candidate = NONE;
      while (source != DONE) {
        candidate = nextCandidate(source, node, state, afterUnknown, firstReturn);
        if (candidate != NONE) {
          break;
        }
        source++;
        node = sourceHead(source, state);
      }
      if (candidate != NONE) {
        if (++steps > maxSteps) {
          return new Result(Verdict.INCONCLUSIVE, maxSteps, deepest);
        }
        int op = candidate >> 1;
        int after = history.step(state, op);
        boolean changes = !history.unknown[op] || after != state;
        if (after != RegisterModel.ILLEGAL && changes) {
          linearized.add(op);
          if (linearized.markSeen(after, history.unknown[op])) {
            stackOp[depth] = op;
            stackState[depth] = state;
            stackSource[depth] = source;
            stackAfterUnknown[depth] = afterUnknown;
            depth++;
            state = after;
            afterUnknown = history.unknown[op];
            lift(candidate);
            firstReturn = firstReturn();
            source = DEFINITE;
            node = head(DEFINITE);
            continue;
          }
          linearized.remove(op);
        }
        node = candidate;
        continue;
      }
      if (deepest == null || depth > deepest.linearized().length) {
        deepest = new Deepest(Arrays.copyOf(stackOp, depth), state,
            candidates(state, afterUnknown, firstReturn));
      }
      if (depth == 0) {
        return new Result(Verdict.NOT_LINEARIZABLE, steps, deepest);
      }
      depth--;
      int undone = stackOp[depth];
      state = stackState[depth];
      afterUnknown = stackAfterUnknown[depth];
      source = stackSource[depth];
      linearized.remove(undone);
      unlift(2 * undone);
      firstReturn = firstReturn();
      node = 2 * undone;
    }
    return new Result(Verdict.LINEARIZABLE, steps, deepest);
  }

  /** The first return entry of the definite list, {@link #NONE} once the list is empty. */
  private int firstReturn() {
    int entry = next[head(DEFINITE)];
    while (entry != NONE && (entry & 1) == 0) {
      entry = next[entry];
    }
    return entry;
  }

  private int sourceHead(int source, int state) {
    return switch (source) {
      case CONDITIONAL -> conditionalHead(state);
      case DONE -> NONE;
      default -> head(source);
    };
  }

  /** The candidate after {@code node} in {@code source}, or {@link #NONE}. */
  private int nextCandidate(int source, int node, int state, boolean afterUnknown, int firstReturn) {
    if (source == DEFINITE) {
      for (int entry = next[node]; entry != firstReturn; entry = next[entry]) {
        if (!afterUnknown || history.kinds[entry >> 1] != Kind.PUT) {
          return entry;
        }
      }
      return NONE;
    }
    boolean skipped = switch (source) {
      case DELETES -> state == RegisterModel.ABSENT;
      case READ_PUTS -> afterUnknown;
      case UNREAD_PUTS -> afterUnknown || node != head(UNREAD_PUTS); // only the earliest
      default -> false;
    };
    int entry = next[node];
    if (skipped || entry == NONE || history.invokedAt(entry >> 1) > time(firstReturn)) {
      return NONE; // lists are in invocation order: the rest was not invoked yet either
    }
    return entry;
  }

  /** Every candidate of a configuration, the operation of {@code firstReturn} last. */
  private int[] candidates(int state, boolean afterUnknown, int firstReturn) {
    List<Integer> found = new ArrayList<>();
    int due = firstReturn >> 1;
    for (int source = DEFINITE; source < DONE; source++) {
      for (int node = sourceHead(source, state), candidate;
          (candidate = nextCandidate(source, node, state, afterUnknown, firstReturn)) != NONE;
          node = candidate) {
        if (candidate >> 1 != due) {
          found.add(candidate >> 1);
        }
      }
    }
    found.add(due);
    return found.stream().mapToInt(Integer::intValue).toArray();
  }

  private void lift(int call) {
    remove(call);
    if (!history.unknown[call >> 1]) {
      remove(call + 1);
    }
  }

  private void unlift(int call) {
    if (!history.unknown[call >> 1]) {
      restore(call + 1);
    }
    restore(call);
  }

  private void remove(int node) {
    next[prev[node]] = next[node];
    if (next[node] != NONE) {
      prev[next[node]] = prev[node];
    }
  }

  private void restore(int node) {
    if (next[node] != NONE) {
      prev[next[node]] = node;
    }
    next[prev[node]] = node;
  }
}
