package dev.valkeyrie.testsuite.linearizability;

import static dev.valkeyrie.testsuite.linearizability.Operation.Outcome.EXISTS;
import static dev.valkeyrie.testsuite.linearizability.Operation.Outcome.MODIFIED;
import static dev.valkeyrie.testsuite.linearizability.Operation.Outcome.NOT_FOUND;
import static dev.valkeyrie.testsuite.linearizability.Operation.Outcome.OK;
import static dev.valkeyrie.testsuite.linearizability.Operation.Outcome.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What the checker accepts and rejects, one history per behaviour. */
class LinearizabilityCheckerTest {

  // --- rejected ---

  @Test
  void staleReadAfterALaterWriteCompletedIsRejected() {
    CheckResult result =
        new HistoryBuilder().put(1, "a", 1, 2).put(2, "b", 3, 4).get(3, "a", 5, 6).check();

    assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
  }

  @Test
  void lostAcknowledgedWriteIsRejected() {
    CheckResult result =
        new HistoryBuilder()
            .put(1, "a", 1, 2)
            .get(2, "a", 3, 4)
            .put(1, "b", 5, 6)
            .get(2, "a", 7, 8)
            .get(3, "a", 9, 10)
            .check();

    assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
  }

  @Test
  void writeAcknowledgedOnAnAbsentKeyThatReadsDoNotSeeIsRejected() {
    CheckResult result = new HistoryBuilder().put(1, "a", 1, 2).get(2, null, 3, 4).check();

    assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
  }

  @Test
  void lateReapplicationOfAnOlderWriteIsRejected() {
    CheckResult result =
        new HistoryBuilder()
            .put(1, "first", 1, 2)
            .put(1, "second", 3, 4)
            .get(2, "second", 5, 6)
            .get(2, "first", 7, 8)
            .check();

    assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
  }

  @Test
  void compareAndSwapThatSucceededAlthoughTheValueHadChangedIsRejected() {
    CheckResult result =
        new HistoryBuilder()
            .put(1, "a", 1, 2)
            .get(2, "a", 3, 4)
            .put(1, "b", 5, 6)
            .atomicPut(2, "c", "a", OK, 7, 8)
            .check();

    assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
  }

  @Test
  void compareAndSwapThatFailedAlthoughTheValueWasUnchangedIsRejected() {
    CheckResult result =
        new HistoryBuilder()
            .put(1, "a", 1, 2)
            .get(2, "a", 3, 4)
            .atomicPut(2, "b", "a", MODIFIED, 5, 6)
            .get(3, "a", 7, 8)
            .check();

    assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
  }

  @Test
  void createOnlyThatSucceededOnAPresentKeyIsRejected() {
    CheckResult result =
        new HistoryBuilder().put(1, "a", 1, 2).atomicPut(2, "b", null, OK, 3, 4).check();

    assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
  }

  @Test
  void compareAndDeleteThatSucceededAlthoughTheValueHadChangedIsRejected() {
    CheckResult result =
        new HistoryBuilder()
            .put(1, "a", 1, 2)
            .put(1, "b", 3, 4)
            .atomicDelete(2, "a", OK, 5, 6)
            .check();

    assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
  }

  @Test
  void deleteThatSucceededOnAnAbsentKeyIsRejected() {
    CheckResult result = new HistoryBuilder().delete(1, OK, 1, 2).check();

    assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
  }

  @Test
  void readOfAValueNoOneWroteIsRejected() {
    CheckResult result = new HistoryBuilder().put(1, "a", 1, 2).get(2, "z", 3, 4).check();

    assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
  }

  @Test
  void sameValueReadWithTwoIndexesIsRejected() {
    CheckResult result =
        new HistoryBuilder()
            .put(1, "a", 1, 2)
            .getWithIndex(2, "a", 7, 3, 4)
            .getWithIndex(2, "a", 9, 5, 6)
            .check();

    assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    assertThat(result.explanations().get("k")).contains("two indexes", "7", "9");
  }

  @Test
  void twoValuesReadWithOneIndexAreRejected() {
    CheckResult result =
        new HistoryBuilder()
            .put(1, "a", 1, 2)
            .getWithIndex(2, "a", 7, 3, 4)
            .put(1, "b", 5, 6)
            .getWithIndex(2, "b", 7, 7, 8)
            .check();

    assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
  }

  @Test
  void violationIsReportedForTheKeyItHappenedOnOnly() {
    CheckResult result =
        new HistoryBuilder()
            .on("good")
            .put(1, "a", 1, 2)
            .get(2, "a", 3, 4)
            .on("bad")
            .put(1, "x", 5, 6)
            .put(1, "y", 7, 8)
            .get(2, "x", 9, 10)
            .check();

    assertThat(result.keysChecked()).isEqualTo(2);
    assertThat(result.verdicts())
        .containsEntry("good", Verdict.LINEARIZABLE)
        .containsEntry("bad", Verdict.NOT_LINEARIZABLE);
    assertThat(result.explanations()).containsOnlyKeys("bad");
  }

  @Test
  void explanationShowsTheLongestLinearizablePrefixAndTheOperationThatCannotBePlaced() {
    CheckResult result =
        new HistoryBuilder()
            .put(1, "first", 1, 2)
            .put(1, "second", 3, 4)
            .get(2, "second", 5, 6)
            .get(2, "first", 7, 8)
            .check();

    assertThat(result.explanations().get("k"))
        .contains("longest linearizable prefix has 3 operations")
        .contains("c2 get -> \"second\"")
        .contains("the key holds \"second\"")
        .contains("c2 get -> \"first\"@101 [7..8]: impossible while the key holds \"second\"");
    assertThat(result.summary()).contains("NOT_LINEARIZABLE", "k: NOT_LINEARIZABLE");
  }

  // --- accepted ---

  @Test
  void emptyHistoryIsLinearizable() {
    CheckResult result = LinearizabilityChecker.check(List.of());

    assertThat(result.verdict()).isEqualTo(Verdict.LINEARIZABLE);
    assertThat(result.keysChecked()).isZero();
  }

  @Test
  void readOverlappingAWriteMaySeeTheOldValue() {
    CheckResult result =
        new HistoryBuilder().put(1, "a", 1, 2).put(1, "b", 3, 6).get(2, "a", 4, 5).check();

    assertThat(result.verdict()).isEqualTo(Verdict.LINEARIZABLE);
  }

  @Test
  void readOverlappingAWriteMaySeeTheNewValue() {
    CheckResult result =
        new HistoryBuilder().put(1, "a", 1, 2).put(1, "b", 3, 6).get(2, "b", 4, 5).check();

    assertThat(result.verdict()).isEqualTo(Verdict.LINEARIZABLE);
  }

  @Test
  void overlappingWritesMayTakeEffectInInvocationOrder() {
    CheckResult result =
        new HistoryBuilder().put(1, "a", 1, 4).put(2, "b", 2, 3).get(3, "b", 5, 6).check();

    assertThat(result.verdict()).isEqualTo(Verdict.LINEARIZABLE);
  }

  @Test
  void overlappingWritesMayTakeEffectInTheOppositeOrder() {
    CheckResult result =
        new HistoryBuilder().put(1, "a", 1, 4).put(2, "b", 2, 3).get(3, "a", 5, 6).check();

    assertThat(result.verdict()).isEqualTo(Verdict.LINEARIZABLE);
  }

  @Test
  void concurrentReadsMaySeeTheWritesInAnOrderTheWritesAllow() {
    CheckResult result =
        new HistoryBuilder()
            .put(1, "a", 1, 10)
            .put(2, "b", 2, 10)
            .get(3, "b", 3, 4)
            .get(4, "a", 5, 6)
            .get(3, "a", 7, 8)
            .check();

    assertThat(result.verdict()).isEqualTo(Verdict.LINEARIZABLE);
  }

  @Test
  void failuresWithTheRightReasonAreAccepted() {
    CheckResult result =
        new HistoryBuilder()
            .atomicPut(1, "a", null, OK, 1, 2)
            .atomicPut(2, "b", null, EXISTS, 3, 4)
            .get(2, "a", 5, 6)
            .put(1, "c", 7, 8)
            .atomicPut(2, "d", "a", MODIFIED, 9, 10)
            .atomicDelete(1, "c", OK, 11, 12)
            .atomicDelete(2, "a", NOT_FOUND, 13, 14)
            .delete(1, NOT_FOUND, 15, 16)
            .check();

    assertThat(result.verdict()).isEqualTo(Verdict.LINEARIZABLE);
  }

  @Test
  void unknownWriteThatWasAppliedIsAccepted() {
    CheckResult result =
        new HistoryBuilder()
            .put(1, "a", 1, 2)
            .putUnknown(1, "b", 3)
            .get(2, "b", 5, 6)
            .get(2, "b", 7, 8)
            .check();

    assertThat(result.verdict()).isEqualTo(Verdict.LINEARIZABLE);
    assertThat(result.unknownOutcomes()).isEqualTo(1);
  }

  @Test
  void unknownWriteThatWasNeverAppliedIsAccepted() {
    CheckResult result =
        new HistoryBuilder()
            .put(1, "a", 1, 2)
            .putUnknown(1, "b", 3)
            .get(2, "a", 5, 6)
            .get(2, "a", 7, 8)
            .check();

    assertThat(result.verdict()).isEqualTo(Verdict.LINEARIZABLE);
  }

  @Test
  void unknownWriteThatBecomesVisibleOnlyAfterLaterOperationsIsAccepted() {
    CheckResult result =
        new HistoryBuilder()
            .put(1, "a", 1, 2)
            .putUnknown(1, "b", 3)
            .get(2, "a", 5, 6)
            .put(3, "c", 7, 8)
            .get(2, "c", 9, 10)
            .get(2, "b", 11, 12)
            .check();

    assertThat(result.verdict()).isEqualTo(Verdict.LINEARIZABLE);
  }

  @Test
  void unknownWriteCannotTakeEffectBeforeItWasInvoked() {
    CheckResult result =
        new HistoryBuilder().put(1, "a", 1, 2).get(2, "b", 3, 4).putUnknown(1, "b", 5).check();

    assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
  }

  @Test
  void unknownCompareAndSwapTakesEffectOnlyIfItsConditionHeld() {
    CheckResult result =
        new HistoryBuilder()
            .put(1, "a", 1, 2)
            .put(1, "b", 3, 4)
            .atomicPut(2, "c", "a", UNKNOWN, 5, 6)
            .get(3, "c", 7, 8)
            .check();

    assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
  }

  @Test
  void manyUnknownWritesThatNoOneSawDoNotSlowTheSearchDown() {
    HistoryBuilder history = new HistoryBuilder().put(0, "v", 0, 1);
    for (int i = 0; i < 40; i++) {
      history.putUnknown(1 + i % 4, "u" + i, 2 + 2 * i);
    }
    for (int i = 0; i < 200; i++) {
      history.get(5, "v", 100 + 2 * i, 101 + 2 * i);
    }

    CheckResult result = LinearizabilityChecker.check(history.ops(), 100_000);

    assertThat(result.verdict()).as(result.summary()).isEqualTo(Verdict.LINEARIZABLE);
  }

  // --- limits and input ---

  @Test
  void largeConcurrentHistoryIsCheckedWellWithinTheStepLimit() {
    List<Operation> history = SimulatedClients.history(42, 5, 2_000, 3, 0.02);

    CheckResult result =
        LinearizabilityChecker.check(
            history, LinearizabilityChecker.DEFAULT_MAX_STEPS_PER_KEY / 10);

    assertThat(result.verdict()).as(result.summary()).isEqualTo(Verdict.LINEARIZABLE);
    assertThat(result.opsChecked()).isEqualTo(10_000);
    assertThat(result.unknownOutcomes()).isPositive();
  }

  @Test
  void stepLimitMakesTheResultInconclusiveAndNotAPass() {
    List<Operation> history = SimulatedClients.history(7, 5, 200, 1, 0.02);

    CheckResult result = LinearizabilityChecker.check(history, 50);

    assertThat(result.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    assertThat(result.isLinearizable()).isFalse();
    assertThat(result.explanations().get("k0")).contains("limit of 50 steps");
  }

  @Test
  void twoWritesOfOneValueAreRefused() {
    List<Operation> history = new HistoryBuilder().put(1, "a", 1, 2).put(2, "a", 3, 4).ops();

    assertThatThrownBy(() -> LinearizabilityChecker.check(history))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unique");
  }
}
