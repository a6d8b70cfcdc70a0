package dev.valkeyrie.testsuite.linearizability;

import dev.valkeyrie.testsuite.linearizability.Operation.Kind;
import dev.valkeyrie.testsuite.linearizability.Operation.Outcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generates a linearizable history without threads: a seeded scheduler interleaves the clients'
 * invocations, effects and completions over a real in-memory register per key, so operations
 * overlap as on a real cluster and the history is reproducible. Some writes end with an unknown
 * outcome; of those, a third took effect at once, a third never, and a third later, at a random
 * point after some other operations.
 */
final class SimulatedClients {

  private final Random random;
  private final double unknownRate;
  private final Map<String, String> values = new HashMap<>();
  private final Map<String, Long> indexes = new HashMap<>();
  private final List<Pending> delayed = new ArrayList<>();
  private final List<Operation> history = new ArrayList<>();
  private long index;
  private long clock;

  private SimulatedClients(long seed, double unknownRate) {
    this.random = new Random(seed);
    this.unknownRate = unknownRate;
  }

  static List<Operation> history(
      long seed, int clients, int opsPerClient, int keys, double unknownRate) {
    SimulatedClients simulation = new SimulatedClients(seed, unknownRate);
    simulation.run(clients, opsPerClient, keys);
    return simulation.history;
  }

  private enum Fate {
    DEFINITE,
    APPLIED_AT_ONCE,
    NEVER_APPLIED,
    APPLIED_LATER
  }

  /** One call in flight. */
  private static final class Pending {
    int client;
    String key;
    Kind kind;
    String value;
    String previous;
    long invokedAt;
    Fate fate;
    boolean effected;
    Outcome outcome;
    String read;
    long readIndex;
  }

  private void run(int clients, int opsPerClient, int keys) {
    int[] left = new int[clients];
    java.util.Arrays.fill(left, opsPerClient);
    Pending[] inFlight = new Pending[clients];
    List<Map<String, String>> lastSeen = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      lastSeen.add(new HashMap<>());
    }
    int sequence = 0;
    while (true) {
      List<Integer> active = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        if (left[c] > 0 || inFlight[c] != null) {
          active.add(c);
        }
      }
      if (active.isEmpty()) {
        break;
      }
      if (!delayed.isEmpty() && random.nextInt(20) == 0) {
        effect(delayed.remove(random.nextInt(delayed.size())));
      }
      int c = active.get(random.nextInt(active.size()));
      Pending p = inFlight[c];
      if (p == null) {
        left[c]--;
        inFlight[c] =
            invoke(c, "k" + random.nextInt(keys), "c" + c + "-" + sequence++, lastSeen.get(c));
      } else if (!p.effected) {
        p.effected = true;
        switch (p.fate) {
          case DEFINITE, APPLIED_AT_ONCE -> effect(p);
          case APPLIED_LATER -> delayed.add(p);
          case NEVER_APPLIED -> {}
        }
      } else {
        inFlight[c] = null;
        complete(p, lastSeen.get(c));
      }
    }
  }

  private Pending invoke(int client, String key, String value, Map<String, String> lastSeen) {
    Pending p = new Pending();
    p.client = client;
    p.key = key;
    String seen = lastSeen.get(key);
    int roll = random.nextInt(100);
    if (roll < 30) {
      p.kind = Kind.PUT;
      p.value = value;
    } else if (roll < 65 || (roll >= 85 && seen == null)) {
      p.kind = Kind.GET;
    } else if (roll < 85) {
      p.kind = Kind.ATOMIC_PUT;
      p.value = value;
      p.previous = random.nextBoolean() ? seen : null;
    } else {
      p.kind = Kind.ATOMIC_DELETE;
      p.previous = seen;
    }
    p.fate =
        p.kind != Kind.GET && random.nextDouble() < unknownRate
            ? Fate.values()[1 + random.nextInt(3)]
            : Fate.DEFINITE;
    p.invokedAt = ++clock;
    return p;
  }

  /** Applies the call to the register, as a linearizable store does at one instant. */
  private void effect(Pending p) {
    String current = values.get(p.key);
    switch (p.kind) {
      case PUT -> write(p.key, p.value);
      case GET -> {
        p.outcome = current == null ? Outcome.NOT_FOUND : Outcome.OK;
        p.read = current;
        p.readIndex = current == null ? 0 : indexes.get(p.key);
      }
      default -> {
        if (java.util.Objects.equals(current, p.previous)) {
          p.outcome = Outcome.OK;
          if (p.kind == Kind.ATOMIC_PUT) {
            p.readIndex = write(p.key, p.value);
          } else {
            values.remove(p.key);
          }
        } else {
          p.outcome =
              p.previous == null
                  ? Outcome.EXISTS
                  : current == null ? Outcome.NOT_FOUND : Outcome.MODIFIED;
        }
      }
    }
  }

  private long write(String key, String value) {
    values.put(key, value);
    indexes.put(key, ++index);
    return index;
  }

  private void complete(Pending p, Map<String, String> lastSeen) {
    long completedAt = ++clock;
    if (p.fate != Fate.DEFINITE) {
      history.add(
          new Operation(
              p.client,
              p.key,
              p.kind,
              p.value,
              p.previous,
              0,
              p.invokedAt,
              completedAt,
              Outcome.UNKNOWN));
      return;
    }
    Outcome outcome = p.kind == Kind.PUT ? Outcome.OK : p.outcome;
    String value = p.kind == Kind.GET ? p.read : p.value;
    history.add(
        new Operation(
            p.client,
            p.key,
            p.kind,
            value,
            p.previous,
            p.readIndex,
            p.invokedAt,
            completedAt,
            outcome));
    if (p.kind == Kind.GET && p.read != null) {
      lastSeen.put(p.key, p.read);
    } else if (p.kind == Kind.ATOMIC_PUT && outcome == Outcome.OK) {
      lastSeen.put(p.key, p.value);
    }
  }
}
