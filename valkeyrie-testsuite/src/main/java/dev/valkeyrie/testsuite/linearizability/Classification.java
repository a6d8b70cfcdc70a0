package dev.valkeyrie.testsuite.linearizability;

import dev.valkeyrie.store.KeyExistsException;
import dev.valkeyrie.store.KeyModifiedException;
import dev.valkeyrie.store.KeyNotFoundException;
import dev.valkeyrie.store.StoreUnavailableException;
import dev.valkeyrie.testsuite.linearizability.Operation.Kind;
import dev.valkeyrie.testsuite.linearizability.Operation.Outcome;
import org.jspecify.annotations.Nullable;

/**
 * What a call that threw means for the history: a definite result, an unknown outcome, or nothing
 * at all (dropped, because it certainly applied nothing and returned nothing).
 *
 * <ul>
 *   <li>{@link KeyExistsException}, {@link KeyModifiedException} and {@link KeyNotFoundException},
 *       where the Store contract says the call can end that way, are definite results;
 *   <li>{@link StoreUnavailableException} drops a read, and drops a write unless {@link
 *       StoreUnavailableException#outcomeUnknown()}, which makes it unknown;
 *   <li>anything else is unexpected: a read is dropped, a write is unknown (it may have reached the
 *       server before it failed), and the run counts it so the report shows it.
 * </ul>
 *
 * @param outcome the outcome to record, {@code null} to drop the call
 * @param unexpected whether the failure is one the Store contract does not name for this call
 */
record Classification(@Nullable Outcome outcome, boolean unexpected) {

  /** Whether the call is left out of the history. */
  boolean dropped() {
    return outcome == null;
  }

  /**
   * @param previous the call's previous value ({@code null} for create-only and for other kinds)
   */
  static Classification ofFailure(Kind kind, @Nullable String previous, RuntimeException failure) {
    Outcome named = named(failure);
    if (named != null && Operation.allowed(kind, named, previous)) {
      return new Classification(named, false);
    }
    if (failure instanceof StoreUnavailableException unavailable && named == null) {
      return new Classification(
          kind != Kind.GET && unavailable.outcomeUnknown() ? Outcome.UNKNOWN : null, false);
    }
    return new Classification(kind == Kind.GET ? null : Outcome.UNKNOWN, true);
  }

  private static @Nullable Outcome named(RuntimeException failure) {
    if (failure instanceof KeyNotFoundException) {
      return Outcome.NOT_FOUND;
    }
    if (failure instanceof KeyExistsException) {
      return Outcome.EXISTS;
    }
    if (failure instanceof KeyModifiedException) {
      return Outcome.MODIFIED;
    }
    return null;
  }
}
