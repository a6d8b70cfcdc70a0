package dev.valkeyrie.testsuite.linearizability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.valkeyrie.testsuite.linearizability.Operation.Kind;
import dev.valkeyrie.testsuite.linearizability.Operation.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The checker's reductions and memoization change no verdict: on thousands of tiny histories, many
 * of them not linearizable and many with unknown outcomes, it agrees with {@link
 * ExhaustiveChecker}.
 */
class ExhaustiveAgreementTest {

  private static final Kind[] KINDS = Kind.values();
  private static final Outcome[] OUTCOMES = Outcome.values();

  @Test
  void checkerAgreesWithExhaustiveSearchOnSmallRandomHistories() {
    Random random = new Random(2024);
    int linearizable = 0;
    int rejected = 0;
    for (int round = 0; round < 4_000; round++) {
      List<Operation> history = randomHistory(random, 3 + random.nextInt(5));

      boolean expected = ExhaustiveChecker.linearizable(history);
      Verdict verdict = LinearizabilityChecker.check(history).verdict();

      assertThat(verdict)
          .as("history %s", history)
          .isEqualTo(expected ? Verdict.LINEARIZABLE : Verdict.NOT_LINEARIZABLE);
      if (expected) {
        linearizable++;
      } else {
        rejected++;
      }
    }
    assertThat(linearizable).as("linearizable histories generated").isGreaterThan(500);
    assertThat(rejected).as("rejected histories generated").isGreaterThan(500);
  }

  @Test
  void checkerAgreesWithExhaustiveSearchOnLinearizableHistoriesWithOneResultChanged() {
    Random random = new Random(77);
    int linearizable = 0;
    int rejected = 0;
    for (int round = 0; round < 3_000; round++) {
      List<Operation> history = new ArrayList<>(SimulatedClients.history(round, 3, 3, 1, 0.4));
      if (random.nextBoolean()) {
        int i = random.nextInt(history.size());
        history.set(i, changed(history, history.get(i), random));
      }

      boolean expected = ExhaustiveChecker.linearizable(history);
      Verdict verdict = LinearizabilityChecker.check(history).verdict();

      assertThat(verdict)
          .as("history %s", history)
          .isEqualTo(expected ? Verdict.LINEARIZABLE : Verdict.NOT_LINEARIZABLE);
      if (expected) {
        linearizable++;
      } else {
        rejected++;
      }
    }
    assertThat(linearizable).as("linearizable histories generated").isGreaterThan(500);
    assertThat(rejected).as("rejected histories generated").isGreaterThan(300);
  }

  /**
   * The operation with another result: a get of another value, or another outcome. Indexes stay
   * consistent (one per value), so only the search can tell.
   */
  private static Operation changed(List<Operation> history, Operation op, Random random) {
    if (op.kind() == Kind.GET) {
      String value =
          random.nextInt(3) == 0 ? null : "c" + random.nextInt(3) + "-" + random.nextInt(9);
      return new Operation(
          op.client(),
          op.key(),
          op.kind(),
          value,
          null,
          value == null ? 0 : indexOf(history, value),
          op.invokedAt(),
          op.completedAt(),
          value == null ? Outcome.NOT_FOUND : Outcome.OK);
    }
    Outcome outcome = OUTCOMES[random.nextInt(OUTCOMES.length)];
    if (!Operation.allowed(op.kind(), outcome, op.previous())) {
      return op;
    }
    long index =
        op.kind() == Kind.ATOMIC_PUT && outcome == Outcome.OK ? indexOf(history, op.value()) : 0;
    return new Operation(
        op.client(),
        op.key(),
        op.kind(),
        op.value(),
        op.previous(),
        index,
        op.invokedAt(),
        op.completedAt(),
        outcome);
  }

  /** The index the history returns with the value, or one it returns with no value. */
  private static long indexOf(List<Operation> history, String value) {
    return history.stream()
        .filter(op -> op.index() != 0 && value.equals(op.value()))
        .mapToLong(Operation::index)
        .findFirst()
        .orElse(1_000_000L + Math.floorMod(value.hashCode(), 1_000_000));
  }

  /** Operations with random kinds, outcomes and overlapping times; reads of written values. */
  private static List<Operation> randomHistory(Random random, int size) {
    List<Operation> ops = new ArrayList<>();
    List<String> written = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      written.add("v" + i);
    }
    for (int i = 0; i < size; i++) {
      Kind kind = KINDS[random.nextInt(KINDS.length)];
      String previous =
          kind == Kind.ATOMIC_DELETE || (kind == Kind.ATOMIC_PUT && random.nextBoolean())
              ? written.get(random.nextInt(size))
              : null;
      Outcome outcome;
      do {
        outcome = OUTCOMES[random.nextInt(OUTCOMES.length)];
      } while (!Operation.allowed(kind, outcome, previous)
          || (outcome == Outcome.UNKNOWN ? random.nextInt(3) != 0 : false));
      String value =
          switch (kind) {
            case PUT, ATOMIC_PUT -> written.get(i);
            case GET -> outcome == Outcome.OK ? written.get(random.nextInt(size)) : null;
            default -> null;
          };
      long index =
          value == null || (kind == Kind.ATOMIC_PUT && outcome != Outcome.OK) || kind == Kind.PUT
              ? 0
              : 100 + written.indexOf(value);
      long from = random.nextInt(20);
      long to = from + random.nextInt(6);
      ops.add(new Operation(i % 3, "k", kind, value, previous, index, from, to, outcome));
    }
    return ops;
  }
}
