package dev.valkeyrie.testsuite.linearizability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.KeyNotFoundException;
import dev.valkeyrie.store.StoreException;
import dev.valkeyrie.store.StoreUnavailableException;
import dev.valkeyrie.testsuite.linearizability.Operation.Kind;
import dev.valkeyrie.testsuite.linearizability.Operation.Outcome;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How calls become the history the checker gets. */
class RecorderTest {

  private final Recorder recorder = new Recorder();

  @Test
  void writeThatCertainlyFailedIsLeftOutSoLaterReadsNeedNotSeeIt() {
    recorder
        .begin(0, "k", Kind.PUT, "c0-0", null)
        .failed(new StoreUnavailableException("connection refused"));
    recorder.begin(1, "k", Kind.GET, null, null).failed(new KeyNotFoundException("k"));

    List<Operation> history = recorder.finish();

    assertThat(history).extracting(Operation::kind).containsExactly(Kind.GET);
    assertThat(recorder.dropped()).isEqualTo(1);
    assertThat(LinearizabilityChecker.check(history).verdict()).isEqualTo(Verdict.LINEARIZABLE);
  }

  @Test
  void callsAreTimedByOneCounterInTheOrderTheyWereMadeAndEnded() {
    Recorder.Call first = recorder.begin(0, "k", Kind.PUT, "c0-0", null);
    Recorder.Call second = recorder.begin(1, "k", Kind.GET, null, null);
    second.succeeded(new KVPair("k", "c0-0".getBytes(StandardCharsets.UTF_8), 5));
    first.succeeded(null);

    List<Operation> history = recorder.finish();

    assertThat(history)
        .extracting(Operation::invokedAt, Operation::completedAt)
        .containsExactly(tuple(2L, 3L), tuple(1L, 4L));
  }

  @Test
  void readRecordsTheValueAndIndexItReturned() {
    recorder
        .begin(0, "k", Kind.GET, null, null)
        .succeeded(new KVPair("k", "c1-4".getBytes(StandardCharsets.UTF_8), 9));

    assertThat(recorder.finish())
        .singleElement()
        .extracting(Operation::value, Operation::index, Operation::outcome)
        .containsExactly("c1-4", 9L, Outcome.OK);
  }

  @Test
  void writeStillRunningAtTheEndHasAnUnknownOutcome() {
    recorder.begin(0, "k", Kind.ATOMIC_PUT, "c0-0", null);

    assertThat(recorder.finish())
        .singleElement()
        .extracting(Operation::outcome)
        .isEqualTo(Outcome.UNKNOWN);
    assertThat(recorder.unfinished()).isEqualTo(1);
  }

  @Test
  void readStillRunningAtTheEndIsDropped() {
    recorder.begin(0, "k", Kind.GET, null, null);

    assertThat(recorder.finish()).isEmpty();
    assertThat(recorder.dropped()).isEqualTo(1);
  }

  @Test
  void callEndingAfterTheEndIsIgnored() {
    Recorder.Call call = recorder.begin(0, "k", Kind.PUT, "c0-0", null);
    recorder.finish();

    call.succeeded(null);

    assertThat(recorder.finish())
        .singleElement()
        .extracting(Operation::outcome)
        .isEqualTo(Outcome.UNKNOWN);
  }

  @Test
  void unexpectedFailuresAreCountedWithASample() {
    recorder.begin(0, "k", Kind.PUT, "c0-0", null).failed(new StoreException("boom"));

    assertThat(recorder.unexpected()).isEqualTo(1);
    assertThat(recorder.unexpectedSamples()).singleElement().asString().contains("PUT", "boom");
    assertThat(recorder.finish())
        .singleElement()
        .extracting(Operation::outcome)
        .isEqualTo(Outcome.UNKNOWN);
  }
}
