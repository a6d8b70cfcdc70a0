package dev.valkeyrie.testsuite.linearizability;

import java.time.Duration;
import java.util.List;

/**
 * What a {@link LinearizabilityRun} did and what the checker concluded.
 *
 * <p>A run passes only if the verdict is {@link Verdict#LINEARIZABLE} and nothing went wrong with
 * the run itself ({@link #problems()} is empty): {@link #assertLinearizable()} checks both and
 * fails with {@link #summary()}. {@link Verdict#INCONCLUSIVE} is a failure: the history was too
 * hard to check, which proves nothing.
 *
 * @param check the checker's result, per key
 * @param opsRecorded every call the clients made
 * @param opsChecked the calls in the checked history: all but the dropped ones
 * @param unknownOutcomes checked writes whose outcome is unknown (they may or may not have been
 *     applied), including unexpected failures and writes still running at the end
 * @param definiteFailuresDropped calls left out because they certainly applied nothing: failed
 *     reads, writes that failed with {@code outcomeUnknown() == false}, reads still running at the
 *     end
 * @param unexpectedFailures calls that failed in a way the Store contract does not name for them
 *     (writes among them are recorded as unknown, reads are dropped); surprising, so shown
 * @param unexpectedFailureSamples the first few of them, for the report
 * @param unfinishedCalls calls still running when the run ended and the clients were stopped
 * @param faults each fault injected, with when it started
 * @param problems what went wrong with the run itself (a fault action that threw, a client that did
 *     not stop); each one fails {@link #assertLinearizable()}
 * @param keys the keys the clients used
 * @param clients how many clients ran
 * @param seed the seed of the clients' random choices
 * @param elapsed how long the clients ran
 */
public record RunReport(
    CheckResult check,
    int opsRecorded,
    int opsChecked,
    int unknownOutcomes,
    int definiteFailuresDropped,
    int unexpectedFailures,
    List<String> unexpectedFailureSamples,
    int unfinishedCalls,
    List<String> faults,
    List<String> problems,
    List<String> keys,
    int clients,
    long seed,
    Duration elapsed) {

  public RunReport {
    unexpectedFailureSamples = List.copyOf(unexpectedFailureSamples);
    faults = List.copyOf(faults);
    problems = List.copyOf(problems);
    keys = List.copyOf(keys);
  }

  /** The checker's overall verdict. */
  public Verdict verdict() {
    return check.verdict();
  }

  /**
   * Fails unless the verdict is {@link Verdict#LINEARIZABLE} and the run had no problems.
   *
   * @throws AssertionError with {@link #summary()} as its message
   */
  public void assertLinearizable() {
    if (verdict() != Verdict.LINEARIZABLE || !problems.isEmpty()) {
      throw new AssertionError("linearizability run failed: " + summary());
    }
  }

  /** The whole report in a few lines, explanations of any violation included. */
  public String summary() {
    StringBuilder text =
        new StringBuilder()
            .append(verdict())
            .append(problems.isEmpty() ? "" : " (with problems)")
            .append(": ")
            .append(clients)
            .append(" clients on ")
            .append(keys)
            .append(" for ")
            .append(String.format("%.1fs", elapsed.toMillis() / 1000.0))
            .append(", seed ")
            .append(seed)
            .append("\ncalls: ")
            .append(opsRecorded)
            .append(" recorded, ")
            .append(opsChecked)
            .append(" checked, ")
            .append(unknownOutcomes)
            .append(" with unknown outcome, ")
            .append(definiteFailuresDropped)
            .append(" dropped (certainly applied nothing), ")
            .append(unexpectedFailures)
            .append(" unexpected failures, ")
            .append(unfinishedCalls)
            .append(" still running at the end");
    text.append("\nfaults (").append(faults.size()).append(")");
    faults.forEach(fault -> text.append("\n  ").append(fault));
    if (!unexpectedFailureSamples.isEmpty()) {
      text.append("\nunexpected failures, the first ones:");
      unexpectedFailureSamples.forEach(sample -> text.append("\n  ").append(sample));
    }
    problems.forEach(problem -> text.append("\nproblem: ").append(problem));
    return text.append("\ncheck: ").append(check.summary()).toString();
  }

  @Override
  public String toString() {
    return summary();
  }
}
