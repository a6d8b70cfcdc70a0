package dev.valkeyrie.testsuite.linearizability;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Turns where the search got stuck into a few lines a person can act on: the longest linearizable
 * prefix found, what the key held after it, and why none of the operations that could come next
 * fits there.
 */
final class Explanations {

  private static final int PREFIX_SHOWN = 8;
  private static final int CANDIDATES_SHOWN = 8;

  private Explanations() {}

  static String notLinearizable(KeyHistory history, KeySearch.Deepest deepest) {
    return "no order of its "
        + history.size()
        + " operations ("
        + history.unknownCount
        + " with unknown outcome) agrees with both real time and their results.\n"
        + stuck(history, deepest);
  }

  static String inconclusive(KeyHistory history, long steps, KeySearch.@Nullable Deepest deepest) {
    return "the search stopped at its limit of "
        + steps
        + " steps before deciding, on "
        + history.size()
        + " operations ("
        + history.unknownCount
        + " with unknown outcome). Not a pass: raise the limit, or record a shorter history with"
        + " fewer unknown outcomes."
        + (deepest == null
            ? ""
            : "\nThe deepest point it had reached, where it had to go back:\n"
                + stuck(history, deepest));
  }

  private static String stuck(KeyHistory history, KeySearch.Deepest deepest) {
    int[] placed = deepest.linearized();
    StringBuilder text =
        new StringBuilder("The longest linearizable prefix has ")
            .append(placed.length)
            .append(" operations");
    if (placed.length > 0) {
      text.append(placed.length > PREFIX_SHOWN ? "; its last " + PREFIX_SHOWN + ":" : ":");
      for (int i = Math.max(0, placed.length - PREFIX_SHOWN); i < placed.length; i++) {
        text.append("\n  ").append(history.ops.get(placed[i]));
      }
    }
    text.append("\nAfter ")
        .append(placed.length == 0 ? "none" : "it")
        .append(" the key ")
        .append(history.describeState(deepest.state()))
        .append(", and none of the operations that could come next can be placed:");
    int[] candidates = deepest.candidates();
    int due = candidates[candidates.length - 1];
    List<Integer> definite = new ArrayList<>();
    List<Integer> unknown = new ArrayList<>();
    for (int i = 0; i < candidates.length - 1; i++) {
      (history.unknown[candidates[i]] ? unknown : definite).add(candidates[i]);
    }
    for (int op : definite.subList(0, Math.min(definite.size(), CANDIDATES_SHOWN))) {
      text.append("\n  ")
          .append(history.ops.get(op))
          .append(": ")
          .append(reason(history, deepest.state(), op));
    }
    if (definite.size() > CANDIDATES_SHOWN) {
      text.append("\n  ... and ").append(definite.size() - CANDIDATES_SHOWN).append(" more");
    }
    text.append("\n  ")
        .append(history.ops.get(due))
        .append(": ")
        .append(reason(history, deepest.state(), due))
        .append(" (and it must take effect before it returned)");
    if (!unknown.isEmpty()) {
      text.append("\n  and ")
          .append(unknown.size())
          .append(" writes with unknown outcome, e.g. ")
          .append(history.ops.get(unknown.get(0)))
          .append(", none of which helps either");
    }
    return text.toString();
  }

  private static String reason(KeyHistory history, int state, int op) {
    int after = history.step(state, op);
    if (after == RegisterModel.ILLEGAL) {
      return "impossible while the key " + history.describeState(state);
    }
    return "possible here, but no order of the rest works after it";
  }
}
