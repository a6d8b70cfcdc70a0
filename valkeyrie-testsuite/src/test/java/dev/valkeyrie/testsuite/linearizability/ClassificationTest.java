package dev.valkeyrie.testsuite.linearizability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.valkeyrie.store.KeyExistsException;
import dev.valkeyrie.store.KeyModifiedException;
import dev.valkeyrie.store.KeyNotFoundException;
import dev.valkeyrie.store.KeyTypeException;
import dev.valkeyrie.store.StoreClosedException;
import dev.valkeyrie.store.StoreUnavailableException;
import dev.valkeyrie.testsuite.linearizability.Operation.Kind;
import dev.valkeyrie.testsuite.linearizability.Operation.Outcome;
import org.junit.jupiter.api.Test;

/** How each way a call can fail is recorded. */
class ClassificationTest {

  private static StoreUnavailableException maybeApplied() {
    return new StoreUnavailableException("timed out", null, true);
  }

  private static StoreUnavailableException notApplied() {
    return new StoreUnavailableException("connection refused");
  }

  @Test
  void keyExistsOfACreateOnlyAtomicPutIsADefiniteResult() {
    assertThat(Classification.ofFailure(Kind.ATOMIC_PUT, null, new KeyExistsException("k")))
        .isEqualTo(new Classification(Outcome.EXISTS, false));
  }

  @Test
  void keyModifiedOfACompareAndSwapIsADefiniteResult() {
    assertThat(Classification.ofFailure(Kind.ATOMIC_PUT, "a", new KeyModifiedException("k")))
        .isEqualTo(new Classification(Outcome.MODIFIED, false));
  }

  @Test
  void keyNotFoundOfACompareAndDeleteIsADefiniteResult() {
    assertThat(Classification.ofFailure(Kind.ATOMIC_DELETE, "a", new KeyNotFoundException("k")))
        .isEqualTo(new Classification(Outcome.NOT_FOUND, false));
  }

  @Test
  void keyNotFoundOfAGetIsADefiniteResult() {
    assertThat(Classification.ofFailure(Kind.GET, null, new KeyNotFoundException("k")))
        .isEqualTo(new Classification(Outcome.NOT_FOUND, false));
  }

  @Test
  void unavailableWithUnknownOutcomeMakesAWriteUnknown() {
    assertThat(Classification.ofFailure(Kind.PUT, null, maybeApplied()))
        .isEqualTo(new Classification(Outcome.UNKNOWN, false));
  }

  @Test
  void unavailableWithUnknownOutcomeMakesACompareAndSwapUnknown() {
    assertThat(Classification.ofFailure(Kind.ATOMIC_PUT, "a", maybeApplied()))
        .isEqualTo(new Classification(Outcome.UNKNOWN, false));
  }

  @Test
  void unavailableThatAppliedNothingDropsAWrite() {
    Classification classification = Classification.ofFailure(Kind.PUT, null, notApplied());

    assertThat(classification.dropped()).isTrue();
    assertThat(classification.unexpected()).isFalse();
  }

  @Test
  void unavailableDropsAGet() {
    Classification classification = Classification.ofFailure(Kind.GET, null, maybeApplied());

    assertThat(classification.dropped()).isTrue();
    assertThat(classification.unexpected()).isFalse();
  }

  @Test
  void unexpectedStoreExceptionMakesAWriteUnknownAndIsCounted() {
    assertThat(Classification.ofFailure(Kind.ATOMIC_DELETE, "a", new KeyTypeException("dir")))
        .isEqualTo(new Classification(Outcome.UNKNOWN, true));
  }

  @Test
  void unexpectedStoreExceptionDropsAGetAndIsCounted() {
    Classification classification =
        Classification.ofFailure(Kind.GET, null, new StoreClosedException("closed"));

    assertThat(classification.dropped()).isTrue();
    assertThat(classification.unexpected()).isTrue();
  }

  @Test
  void contractExceptionTheCallCannotEndWithIsUnexpected() {
    assertThat(Classification.ofFailure(Kind.ATOMIC_PUT, null, new KeyModifiedException("k")))
        .isEqualTo(new Classification(Outcome.UNKNOWN, true));
  }

  @Test
  void runtimeExceptionOutsideTheStoreHierarchyMakesAWriteUnknownAndIsCounted() {
    assertThat(Classification.ofFailure(Kind.PUT, null, new IllegalStateException("bug")))
        .isEqualTo(new Classification(Outcome.UNKNOWN, true));
  }
}
