package dev.valkeyrie.testsuite.linearizability;

import dev.valkeyrie.testsuite.linearizability.Operation.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Wing and Gong's search for a linearization of one key's history, with Lowe's memoization: the
 * algorithm of Knossos' "linear" checker and of Porcupine.
 *
 * <p>The operations with a definite outcome are a doubly linked list of call and return entries in
 * time order. The search tries to linearize next each operation whose call comes before the first
 * return of the list (its model step is legal, and the resulting configuration of linearized set
 * and state was not seen before, see {@link LinearizedSet}); when it can, it takes the operation
 * out of the list and goes on; when no candidate is left it undoes the last operation and tries the
 * candidate after it. It succeeds when the list is empty.
 *
 * <p>Operations of unknown outcome never return, so they never end the candidates and may stay
 * unplaced (never applied). Left as plain candidates, each of them could be placed at any point,
 * and every subset of them would be a separate configuration from there on, so the search only
 * considers linearizations in a reduced form, which exists whenever any linearization does:
 *
 * <ul>
 *   <li>an unknown operation is placed only right before an operation that needs it: one that would
 *       be impossible in the state before it (or, if itself unknown, would change nothing there).
 *       Any other placement can be moved later, past operations that do not care, or dropped, when
 *       they overwrite it. This also means it is never placed where it would change nothing, nor
 *       last. The state before the last placed unknown operation is part of the memoized
 *       configuration, since it decides what may come next;
 *   <li>unknown operations with the same condition and the same effect (puts of values no one
 *       reads, compare-and-swaps on the same previous value to values no one reads,
 *       compare-and-deletes on the same previous value, deletes) are interchangeable but for when
 *       they were invoked, so only the earliest pending one of each such group is a candidate: by
 *       the time some of them are placed, as many of the earliest ones were invoked.
 * </ul>
 *
 * <p>The cache also prunes by dominance: a configuration with the same definite operations and
 * state as one already tried to the end, but more unknown operations placed, can only fail too (it
 * has the same choices, fewer of them). The dominating configurations looked for are this one
 * without its last one or two unknown operations: the search backtracking through a long stretch
 * tries alternatives that place an unknown operation, and without this each of them would be
 * explored again to where the first attempt failed.
 */
final class KeySearch {

  private static final int NONE = -1;

  /** What {@code before} is when the last operation placed was definite. */
  private static final int NO_UNKNOWN = -2;

  // Candidate sources, tried in this order. The first three after DEFINITE are per state: the
  // unknown compare-and-swaps and compare-and-deletes conditioned on that state.
  private static final int DEFINITE = 0;
  private static final int READ_WRITES_IF = 1;
  private static final int UNREAD_WRITES_IF = 2;
  private static final int DELETES_IF = 3;
  private static final int DELETES = 4;
  private static final int READ_PUTS = 5;
  private static final int UNREAD_PUTS = 6;
  private static final int DONE = 7;
  private static final int PER_STATE = 3;

  private final KeyHistory history;
  private final long maxSteps;
  private final int n;
  private final int[] next;
  private final int[] prev;

  /**
   * The deepest point the search reached before it had to backtrack: the operations placed, in
   * order; the state after them; the operations that could have come next, none of which could be
   * placed (the last is the one whose return is first, which had to be placed by then). A class,
   * not a record: its arrays would make a record's equals compare identities.
   */
  static final class Deepest {
    private final int[] linearized;
    private final int state;
    private final int[] candidates;

    Deepest(int[] linearized, int state, int[] candidates) {
      this.linearized = linearized;
      this.state = state;
      this.candidates = candidates;
    }

    int[] linearized() {
      return linearized;
    }

    int state() {
      return state;
    }

    int[] candidates() {
      return candidates;
    }
  }

  /** How the search ended. */
  record Result(Verdict verdict, long steps, @Nullable Deepest deepest) {}

  KeySearch(KeyHistory history, long maxSteps) {
    this.history = history;
    this.maxSteps = maxSteps;
    this.n = history.size();
    int nodes = 2 * n + DONE + PER_STATE * history.stateCount(); // and the heads of the sources
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
    boolean unread = history.values[op] == KeyHistory.UNREAD;
    return switch (history.kinds[op]) {
      case PUT -> head(unread ? UNREAD_PUTS : READ_PUTS);
      case DELETE -> head(DELETES);
      case ATOMIC_PUT ->
          stateHead(unread ? UNREAD_WRITES_IF : READ_WRITES_IF, history.previous[op]);
      default -> stateHead(DELETES_IF, history.previous[op]);
    };
  }

  private int head(int source) {
    return 2 * n + source;
  }

  /** The head of a source that is one list per state. */
  private int stateHead(int source, int state) {
    return 2 * n + DONE + PER_STATE * state + (source - READ_WRITES_IF);
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
    int[] stackBefore = new int[n];
    LinearizedSet.Config[] stackConfig = new LinearizedSet.Config[n];
    int[] unknownPlaced = new int[n]; // the unknown operations on the stack, in order
    int unknownDepth = 0;
    int[] without = new int[2];
    int depth = 0;
    int state = RegisterModel.ABSENT;
    int before = NO_UNKNOWN; // the state before the last operation placed, if it was unknown
    long steps = 0;
    // The deepest point so far, kept incrementally: below lowWater the stack is unchanged since.
    int[] deepestStack = new int[n];
    int deepestDepth = -1;
    int deepestState = RegisterModel.ABSENT;
    int[] deepestCandidates = new int[0];
    int lowWater = 0;
    int source = DEFINITE;
    int node = head(DEFINITE);
    int firstReturn = firstReturn();
    while (firstReturn != NONE) {
      int candidate = NONE;
      while (source != DONE) {
        candidate = nextCandidate(source, node, state, before != NO_UNKNOWN, firstReturn);
        if (candidate != NONE) {
          break;
        }
        source++;
        node = sourceHead(source, state);
      }
      if (candidate != NONE) {
        if (++steps > maxSteps) {
          return new Result(
              Verdict.INCONCLUSIVE,
              maxSteps,
              deepestDepth < 0
                  ? null
                  : new Deepest(
                      Arrays.copyOf(deepestStack, deepestDepth), deepestState, deepestCandidates));
        }
        int op = candidate >> 1;
        int after = history.step(state, op);
        if (after != RegisterModel.ILLEGAL && placeable(op, state, after, before)) {
          int nextBefore = history.unknown[op] ? state : NO_UNKNOWN;
          linearized.flip(op);
          if (history.unknown[op]) {
            unknownPlaced[unknownDepth++] = op;
          }
          LinearizedSet.Config config = linearized.markSeen(after, nextBefore);
          if (config != null
              && dominated(linearized, unknownPlaced, unknownDepth, without, after, nextBefore)) {
            config.failed = true;
            config = null;
          }
          if (config == null && history.unknown[op]) {
            unknownDepth--;
          }
          if (config != null) {
            stackConfig[depth] = config;
            stackOp[depth] = op;
            stackState[depth] = state;
            stackSource[depth] = source;
            stackBefore[depth] = before;
            depth++;
            state = after;
            before = nextBefore;
            lift(candidate);
            firstReturn = firstReturn();
            source = DEFINITE;
            node = head(DEFINITE);
            continue;
          }
          linearized.flip(op);
        }
        node = candidate;
        continue;
      }
      if (depth > deepestDepth) {
        System.arraycopy(stackOp, lowWater, deepestStack, lowWater, depth - lowWater);
        deepestDepth = depth;
        deepestState = state;
        deepestCandidates = candidates(state, before, firstReturn);
        lowWater = depth;
      }
      if (depth == 0) {
        return new Result(
            Verdict.NOT_LINEARIZABLE,
            steps,
            new Deepest(
                Arrays.copyOf(deepestStack, deepestDepth), deepestState, deepestCandidates));
      }
      depth--;
      lowWater = Math.min(lowWater, depth);
      stackConfig[depth].failed = true;
      int undone = stackOp[depth];
      if (history.unknown[undone]) {
        unknownDepth--;
      }
      state = stackState[depth];
      before = stackBefore[depth];
      source = stackSource[depth];
      linearized.flip(undone);
      unlift(2 * undone);
      firstReturn = firstReturn();
      node = 2 * undone;
    }
    return new Result(Verdict.LINEARIZABLE, steps, null);
  }

  /** Whether a configuration tried to the end has the same, and fewer unknown operations. */
  private static boolean dominated(
      LinearizedSet linearized,
      int[] unknownPlaced,
      int count,
      int[] without,
      int state,
      int before) {
    for (int last = 1; last <= Math.min(2, count); last++) {
      without[0] = unknownPlaced[count - last];
      if (linearized.failedWithout(without, 1, state, before, NO_UNKNOWN)) {
        return true;
      }
    }
    if (count >= 2) {
      without[0] = unknownPlaced[count - 1];
      without[1] = unknownPlaced[count - 2];
      return linearized.failedWithout(without, 2, state, before, NO_UNKNOWN);
    }
    return false;
  }

  /**
   * The reductions of the class comment: an unknown operation must change the state, and right
   * after one (when {@code before} is the state before it) only what needs it may come: an
   * operation impossible in {@code before}, or an unknown one that would change nothing there.
   */
  private boolean placeable(int op, int state, int after, int before) {
    if (history.unknown[op] && after == state) {
      return false;
    }
    if (before == NO_UNKNOWN) {
      return true;
    }
    int withoutIt = history.step(before, op);
    return history.unknown[op] ? withoutIt == before : withoutIt == RegisterModel.ILLEGAL;
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
      case READ_WRITES_IF, UNREAD_WRITES_IF, DELETES_IF -> stateHead(source, state);
      case DONE -> NONE;
      default -> head(source);
    };
  }

  /** The candidate after {@code node} in {@code source}, or {@link #NONE}. */
  private int nextCandidate(
      int source, int node, int state, boolean afterUnknown, int firstReturn) {
    if (source == DEFINITE) {
      for (int entry = next[node]; entry != firstReturn; entry = next[entry]) {
        if (!afterUnknown || history.kinds[entry >> 1] != Kind.PUT) {
          return entry;
        }
      }
      return NONE;
    }
    boolean earliestOnly = source != READ_WRITES_IF && source != READ_PUTS;
    boolean skipped =
        (earliestOnly && node != sourceHead(source, state))
            || (source == DELETES && state == RegisterModel.ABSENT)
            || ((source == READ_PUTS || source == UNREAD_PUTS) && afterUnknown);
    int entry = next[node];
    if (skipped || entry == NONE || history.invokedAt(entry >> 1) > time(firstReturn)) {
      return NONE; // lists are in invocation order: the rest was not invoked yet either
    }
    return entry;
  }

  /** Every candidate of a configuration, the operation of {@code firstReturn} last. */
  private int[] candidates(int state, int before, int firstReturn) {
    boolean afterUnknown = before != NO_UNKNOWN;
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
