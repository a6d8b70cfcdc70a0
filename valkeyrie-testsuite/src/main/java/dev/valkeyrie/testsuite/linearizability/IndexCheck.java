package dev.valkeyrie.testsuite.linearizability;

import dev.valkeyrie.testsuite.linearizability.Operation.Kind;
import dev.valkeyrie.testsuite.linearizability.Operation.Outcome;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The side check of the indexes a key's reads and compare-and-swaps returned: one write has one
 * index, so a value must always come with the same index, and an index with the same value.
 *
 * <p>The search compares values where the store compares indexes ({@code prevIndex}); the two agree
 * only if this holds, so a history that breaks it is not linearizable whatever the search finds.
 */
final class IndexCheck {

  private IndexCheck() {}

  /** A sentence saying what is inconsistent, or {@code null} if nothing is. */
  static @Nullable String violation(List<Operation> ops) {
    Map<String, Operation> byValue = new HashMap<>();
    Map<Long, Operation> byIndex = new HashMap<>();
    for (Operation op : ops) {
      boolean returnsPair =
          op.outcome() == Outcome.OK && (op.kind() == Kind.GET || op.kind() == Kind.ATOMIC_PUT);
      if (!returnsPair) {
        continue;
      }
      Operation sameValue = byValue.putIfAbsent(op.value(), op);
      if (sameValue != null && sameValue.index() != op.index()) {
        return "the value "
            + Operation.quote(op.value())
            + " came with two indexes, "
            + sameValue.index()
            + " and "
            + op.index()
            + ", but one write has one index:\n  "
            + sameValue
            + "\n  "
            + op;
      }
      Operation sameIndex = byIndex.putIfAbsent(op.index(), op);
      if (sameIndex != null && !Objects.equals(sameIndex.value(), op.value())) {
        return "the index "
            + op.index()
            + " came with two values, "
            + Operation.quote(sameIndex.value())
            + " and "
            + Operation.quote(op.value())
            + ", but one index is one write:\n  "
            + sameIndex
            + "\n  "
            + op;
      }
    }
    return null;
  }
}
