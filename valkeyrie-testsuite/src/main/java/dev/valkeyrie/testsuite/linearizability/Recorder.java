package dev.valkeyrie.testsuite.linearizability;

import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.testsuite.linearizability.Operation.Kind;
import dev.valkeyrie.testsuite.linearizability.Operation.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Records the history of a run, from any number of client threads: each call is {@link #begin}
 * before it is made and ended once, by {@link Call#succeeded} or {@link Call#failed}, or by {@link
 * #finish} if it is still running when the run ends (a write then has an unknown outcome).
 *
 * <p>Times come from one counter taken just before each call and just after it returns, so one
 * call's completion is before another's invocation exactly when it returned before the other was
 * made: the real-time order the checker needs, without clock resolution or skew.
 */
final class Recorder {

  private static final int SAMPLES = 5;

  private final AtomicLong clock = new AtomicLong();
  private final Queue<Operation> history = new ConcurrentLinkedQueue<>();
  private final Set<Call> running = ConcurrentHashMap.newKeySet();
  private final AtomicInteger recorded = new AtomicInteger();
  private final AtomicInteger dropped = new AtomicInteger();
  private final AtomicInteger unexpected = new AtomicInteger();
  private final AtomicInteger unfinished = new AtomicInteger();
  private final Queue<String> unexpectedSamples = new ConcurrentLinkedQueue<>();

  /** One call in flight. */
  final class Call {
    private final int client;
    private final String key;
    private final Kind kind;
    private final @Nullable String value;
    private final @Nullable String previous;
    private final long invokedAt;
    private final AtomicBoolean ended = new AtomicBoolean();

    private Call(
        int client, String key, Kind kind, @Nullable String value, @Nullable String previous) {
      this.client = client;
      this.key = key;
      this.kind = kind;
      this.value = value;
      this.previous = previous;
      this.invokedAt = clock.incrementAndGet();
    }

    /** The call returned; {@code result} is what it returned, if anything. */
    void succeeded(@Nullable KVPair result) {
      if (result == null && (kind == Kind.GET || kind == Kind.ATOMIC_PUT)) {
        failed(new IllegalStateException(kind + " returned null"));
        return;
      }
      long completedAt = clock.incrementAndGet();
      if (end()) {
        // result is there for GET and ATOMIC_PUT (checked above).
        String recordedValue = kind == Kind.GET && result != null ? result.valueAsString() : value;
        long index =
            (kind == Kind.GET || kind == Kind.ATOMIC_PUT) && result != null
                ? result.lastIndex()
                : 0;
        history.add(
            new Operation(
                client,
                key,
                kind,
                recordedValue,
                previous,
                index,
                invokedAt,
                completedAt,
                Outcome.OK));
      }
    }

    /** The call threw. */
    void failed(RuntimeException failure) {
      long completedAt = clock.incrementAndGet();
      if (!end()) {
        return;
      }
      Classification classification = Classification.ofFailure(kind, previous, failure);
      if (classification.unexpected()) {
        unexpected.incrementAndGet();
        if (unexpectedSamples.size() < SAMPLES) {
          unexpectedSamples.add(kind + " of " + key + ": " + failure);
        }
      }
      if (classification.dropped()) {
        dropped.incrementAndGet();
      } else {
        history.add(
            new Operation(
                client,
                key,
                kind,
                kind == Kind.GET ? null : value,
                previous,
                0,
                invokedAt,
                completedAt,
                classification.outcome()));
      }
    }

    private boolean end() {
      if (!ended.compareAndSet(false, true)) {
        return false;
      }
      running.remove(this);
      return true;
    }
  }

  /** Records that {@code client} is about to make a call. */
  Call begin(int client, String key, Kind kind, @Nullable String value, @Nullable String previous) {
    recorded.incrementAndGet();
    Call call = new Call(client, key, kind, value, previous);
    running.add(call);
    return call;
  }

  /**
   * Ends the calls still running (writes with an unknown outcome, reads dropped) and returns the
   * history. Calls that end later are ignored.
   */
  List<Operation> finish() {
    for (Call call : List.copyOf(running)) {
      long now = clock.incrementAndGet();
      if (call.end()) {
        unfinished.incrementAndGet();
        if (call.kind == Kind.GET) {
          dropped.incrementAndGet();
        } else {
          history.add(
              new Operation(
                  call.client,
                  call.key,
                  call.kind,
                  call.value,
                  call.previous,
                  0,
                  call.invokedAt,
                  now,
                  Outcome.UNKNOWN));
        }
      }
    }
    return new ArrayList<>(history);
  }

  int recorded() {
    return recorded.get();
  }

  int dropped() {
    return dropped.get();
  }

  int unexpected() {
    return unexpected.get();
  }

  int unfinished() {
    return unfinished.get();
  }

  List<String> unexpectedSamples() {
    return List.copyOf(unexpectedSamples);
  }
}
