package dev.valkeyrie.testsuite.linearizability;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The outcome of {@link LinearizabilityChecker#check}: the overall verdict, one verdict per key,
 * and for every key that did not pass a short explanation a failing CI run can be read from.
 *
 * <p>The overall verdict is {@link Verdict#NOT_LINEARIZABLE} if any key is, else {@link
 * Verdict#INCONCLUSIVE} if any key is, else {@link Verdict#LINEARIZABLE}. Only the last is a pass.
 *
 * @param verdict the overall verdict
 * @param keysChecked how many keys the history touched
 * @param opsChecked how many operations were checked, unknown outcomes included
 * @param unknownOutcomes how many of them had an unknown outcome
 * @param steps the search steps taken, over all keys
 * @param verdicts the verdict of each key, sorted by key
 * @param explanations for each key that is not {@link Verdict#LINEARIZABLE}, what went wrong
 */
public record CheckResult(
    Verdict verdict,
    int keysChecked,
    int opsChecked,
    int unknownOutcomes,
    long steps,
    Map<String, Verdict> verdicts,
    Map<String, String> explanations) {

  public CheckResult {
    verdicts = Collections.unmodifiableMap(new TreeMap<>(verdicts));
    explanations = Collections.unmodifiableMap(new TreeMap<>(explanations));
  }

  /** Whether the verdict is {@link Verdict#LINEARIZABLE}: the only pass. */
  public boolean isLinearizable() {
    return verdict == Verdict.LINEARIZABLE;
  }

  /** A few lines: the verdict, the counts, then each explanation. */
  public String summary() {
    StringBuilder text =
        new StringBuilder()
            .append(verdict)
            .append(": ")
            .append(keysChecked)
            .append(" keys, ")
            .append(opsChecked)
            .append(" operations (")
            .append(unknownOutcomes)
            .append(" with unknown outcome), ")
            .append(steps)
            .append(" search steps");
    verdicts.forEach(
        (key, keyVerdict) -> {
          if (keyVerdict != Verdict.LINEARIZABLE) {
            text.append("\n")
                .append(key)
                .append(": ")
                .append(keyVerdict)
                .append("\n")
                .append(explanations.getOrDefault(key, "").indent(2).stripTrailing());
          }
        });
    return text.toString();
  }

  @Override
  public String toString() {
    return summary();
  }
}
