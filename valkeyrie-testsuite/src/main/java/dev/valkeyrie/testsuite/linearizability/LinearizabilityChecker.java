package dev.valkeyrie.testsuite.linearizability;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Checks that a recorded history of single-key operations is linearizable: that some total order of
 * the operations, in which each one takes effect at an instant between its invocation and its
 * completion, gives every operation the result it was recorded with, when the key behaves as a
 * register. Operations with an unknown outcome may take effect at any instant after their
 * invocation, or never.
 *
 * <p>Keys are independent, so the history is split per key and each key is checked on its own
 * (linearizability is compositional). Each key also gets a side check that its indexes are
 * consistent (one value, one index). The search per key is bounded by a number of steps; a key that
 * exhausts it is {@link Verdict#INCONCLUSIVE}, which a test must treat as a failure.
 *
 * <p>The search is Wing and Gong's with Lowe's memoization (as in Knossos and Porcupine), with
 * reductions for operations of unknown outcome. It remembers the configurations it tried by a
 * 128-bit fingerprint; two sharing one (a chance below 10<sup>-24</sup> for ten million) could only
 * make it report a violation that is not there, never miss one. Histories where a large share of
 * the writes have unknown outcomes can be too hard to decide within the limit.
 *
 * <pre>{@code
 * CheckResult result = LinearizabilityChecker.check(history);
 * assertThat(result.verdict()).as(result.summary()).isEqualTo(Verdict.LINEARIZABLE);
 * }</pre>
 */
public final class LinearizabilityChecker {

  /** The default step limit per key: a few seconds of search, far beyond what sound runs need. */
  public static final long DEFAULT_MAX_STEPS_PER_KEY = 3_000_000;

  private LinearizabilityChecker() {}

  /** {@link #check(Collection, long)} with {@link #DEFAULT_MAX_STEPS_PER_KEY}. */
  public static CheckResult check(Collection<Operation> history) {
    return check(history, DEFAULT_MAX_STEPS_PER_KEY);
  }

  /**
   * Checks a history.
   *
   * @param history every operation with a definite or unknown outcome; leave out those that
   *     certainly applied nothing (failed reads, writes that failed without reaching a server)
   * @param maxStepsPerKey after how many search steps a key is {@link Verdict#INCONCLUSIVE}
   * @throws IllegalArgumentException if two writes to one key wrote the same value
   */
  public static CheckResult check(Collection<Operation> history, long maxStepsPerKey) {
    if (maxStepsPerKey <= 0) {
      throw new IllegalArgumentException("maxStepsPerKey must be positive: " + maxStepsPerKey);
    }
    Map<String, List<Operation>> byKey = new TreeMap<>();
    for (Operation op : history) {
      byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
    }
    Map<String, Verdict> verdicts = new HashMap<>();
    Map<String, String> explanations = new HashMap<>();
    int unknown = 0;
    long steps = 0;
    for (Map.Entry<String, List<Operation>> key : byKey.entrySet()) {
      KeyHistory keyHistory = new KeyHistory(key.getKey(), key.getValue());
      unknown += keyHistory.unknownCount;
      String inconsistent = IndexCheck.violation(keyHistory.ops);
      if (inconsistent != null) {
        verdicts.put(key.getKey(), Verdict.NOT_LINEARIZABLE);
        explanations.put(key.getKey(), inconsistent);
        continue;
      }
      KeySearch.Result result = new KeySearch(keyHistory, maxStepsPerKey).run();
      steps += result.steps();
      verdicts.put(key.getKey(), result.verdict());
      switch (result.verdict()) {
        case NOT_LINEARIZABLE ->
            explanations.put(
                key.getKey(),
                Explanations.notLinearizable(
                    keyHistory,
                    Objects.requireNonNull(result.deepest(), "a refutation's deepest point")));
        case INCONCLUSIVE ->
            explanations.put(
                key.getKey(),
                Explanations.inconclusive(keyHistory, result.steps(), result.deepest()));
        case LINEARIZABLE -> {}
      }
    }
    Verdict overall =
        verdicts.containsValue(Verdict.NOT_LINEARIZABLE)
            ? Verdict.NOT_LINEARIZABLE
            : verdicts.containsValue(Verdict.INCONCLUSIVE)
                ? Verdict.INCONCLUSIVE
                : Verdict.LINEARIZABLE;
    return new CheckResult(
        overall, byKey.size(), history.size(), unknown, steps, verdicts, explanations);
  }
}
