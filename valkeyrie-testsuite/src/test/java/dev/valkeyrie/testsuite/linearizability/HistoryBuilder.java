package dev.valkeyrie.testsuite.linearizability;

import dev.valkeyrie.testsuite.linearizability.Operation.Kind;
import dev.valkeyrie.testsuite.linearizability.Operation.Outcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes histories by hand for the checker's tests: one line per operation, on key {@code "k"}
 * unless {@link #on} says otherwise, with each value's index assigned on first use so reads are
 * index-consistent unless a test says otherwise.
 */
final class HistoryBuilder {

  private final List<Operation> ops = new ArrayList<>();
  private final Map<String, Long> indexes = new HashMap<>();
  private String key = "k";

  HistoryBuilder on(String key) {
    this.key = key;
    return this;
  }

  HistoryBuilder put(int client, String value, long from, long to) {
    return add(client, Kind.PUT, value, null, 0, from, to, Outcome.OK);
  }

  HistoryBuilder putUnknown(int client, String value, long from) {
    return add(client, Kind.PUT, value, null, 0, from, from + 1, Outcome.UNKNOWN);
  }

  /** A get that found {@code value}, or found nothing if {@code value} is null. */
  HistoryBuilder get(int client, String value, long from, long to) {
    return value == null
        ? add(client, Kind.GET, null, null, 0, from, to, Outcome.NOT_FOUND)
        : add(client, Kind.GET, value, null, index(value), from, to, Outcome.OK);
  }

  HistoryBuilder getWithIndex(int client, String value, long index, long from, long to) {
    return add(client, Kind.GET, value, null, index, from, to, Outcome.OK);
  }

  /** An atomicPut of {@code value} conditioned on {@code previous} (null: create-only). */
  HistoryBuilder atomicPut(
      int client, String value, String previous, Outcome outcome, long from, long to) {
    long index = outcome == Outcome.OK ? index(value) : 0;
    return add(client, Kind.ATOMIC_PUT, value, previous, index, from, to, outcome);
  }

  HistoryBuilder atomicDelete(int client, String previous, Outcome outcome, long from, long to) {
    return add(client, Kind.ATOMIC_DELETE, null, previous, 0, from, to, outcome);
  }

  HistoryBuilder delete(int client, Outcome outcome, long from, long to) {
    return add(client, Kind.DELETE, null, null, 0, from, to, outcome);
  }

  List<Operation> ops() {
    return List.copyOf(ops);
  }

  CheckResult check() {
    return LinearizabilityChecker.check(ops);
  }

  private long index(String value) {
    return indexes.computeIfAbsent(value, v -> 100L + indexes.size());
  }

  private HistoryBuilder add(
      int client,
      Kind kind,
      String value,
      String previous,
      long index,
      long from,
      long to,
      Outcome outcome) {
    ops.add(new Operation(client, key, kind, value, previous, index, from, to, outcome));
    return this;
  }
}
