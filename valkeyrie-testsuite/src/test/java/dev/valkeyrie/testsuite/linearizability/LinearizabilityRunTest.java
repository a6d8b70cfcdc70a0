package dev.valkeyrie.testsuite.linearizability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.valkeyrie.store.Store;
import dev.valkeyrie.testsuite.reference.MemoryStores;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The run and the checker together, on the in-memory reference store: linearizable as it is, still
 * linearizable when calls fail as they do under faults, and caught when wrapped to break
 * linearizability. Runs are bounded by calls rather than time (the in-memory store makes from tens
 * to hundreds of thousands of calls a second), so every run checks a similar history.
 */
class LinearizabilityRunTest {

  private static final int CALLS_PER_CLIENT = 5_000;

  private final List<ForwardingStore> opened = new CopyOnWriteArrayList<>();
  private String prefix;

  @BeforeEach
  void prefix(TestInfo test) {
    prefix =
        "linearizability/"
            + test.getTestMethod().orElseThrow().getName()
            + "-"
            + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
  }

  @Test
  void runOnALinearizableStoreIsLinearizable() throws InterruptedException {
    RunReport report = run(MemoryStores::connectShared).build().run();

    report.assertLinearizable();
    assertThat(report.check().keysChecked()).isEqualTo(3);
    assertThat(report.opsChecked()).isPositive();
    assertThat(report.opsRecorded())
        .isEqualTo(report.opsChecked() + report.definiteFailuresDropped());
    assertThat(report.unknownOutcomes()).isZero();
  }

  @Test
  void runOnAStoreWhoseCallsFailAsUnderFaultsIsStillLinearizable() throws InterruptedException {
    RunReport report = run(wrapped(MisbehavingStores.Flaky::new)).build().run();

    report.assertLinearizable();
    assertThat(report.unknownOutcomes()).isPositive();
    assertThat(report.definiteFailuresDropped()).isPositive();
    assertThat(report.unexpectedFailures()).isPositive();
    assertThat(report.unexpectedFailureSamples())
        .first()
        .asString()
        .contains("the response could not be parsed");
  }

  @Test
  void staleReadsAreCaught() throws InterruptedException {
    RunReport report = run(wrapped(MisbehavingStores.StaleReads::new)).build().run();

    assertThat(report.verdict()).as(report.summary()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    assertThatThrownBy(report::assertLinearizable)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("NOT_LINEARIZABLE");
  }

  @Test
  void lateReapplicationOfAnOldPutIsCaught() throws InterruptedException {
    RunReport report = run(wrapped(MisbehavingStores.LateReapplication::new)).build().run();

    assertThat(report.verdict()).as(report.summary()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    assertThat(report.check().explanations()).isNotEmpty();
  }

  @Test
  void faultsAreInjectedDuringTheRunAndReported() throws InterruptedException {
    AtomicInteger injected = new AtomicInteger();

    RunReport report =
        run(MemoryStores::connectShared)
            .faults(() -> "fault " + injected.incrementAndGet())
            .faultPause(Duration.ofMillis(100))
            .build()
            .run();

    report.assertLinearizable();
    assertThat(report.faults()).hasSize(injected.get());
    assertThat(report.faults().get(0)).endsWith("fault 1");
  }

  @Test
  void faultActionThatThrowsIsAProblemThatFailsTheRun() throws InterruptedException {
    RunReport report =
        run(MemoryStores::connectShared)
            .faults(
                () -> {
                  throw new IllegalStateException("cannot pause the member");
                })
            .build()
            .run();

    assertThat(report.problems()).singleElement().asString().contains("cannot pause the member");
    assertThatThrownBy(report::assertLinearizable).hasMessageContaining("cannot pause the member");
  }

  @Test
  void callHangingPastTheStopTimeoutIsInterruptedReportedAndOfUnknownOutcome()
      throws InterruptedException {
    AtomicInteger stores = new AtomicInteger();
    Supplier<Store> firstHangs =
        wrapped(
            store ->
                stores.getAndIncrement() == 0
                    ? new MisbehavingStores.HangingPut(store)
                    : new MisbehavingStores.Flaky(store));

    RunReport report =
        run(firstHangs)
            .duration(Duration.ofMillis(300))
            // Long enough for the healthy clients to finish their call on a loaded machine.
            .stopTimeout(Duration.ofSeconds(3))
            .build()
            .run();

    assertThat(report.problems())
        .singleElement()
        .asString()
        .contains("client 0 was still in a call");
    assertThat(report.check().unknownOutcomes()).isPositive();
    assertThat(report.verdict()).isEqualTo(Verdict.LINEARIZABLE);
    assertThat(opened).allMatch(ForwardingStore::isClosed);
  }

  @Test
  void eachClientStopsAfterItsMaximumNumberOfCalls() throws InterruptedException {
    RunReport report =
        run(MemoryStores::connectShared)
            .maxCallsPerClient(100)
            .duration(Duration.ofMinutes(5))
            .build()
            .run();

    assertThat(report.opsRecorded()).isEqualTo(4 * 100);
  }

  @Test
  void everyStoreIsClosedAfterTheRun() throws InterruptedException {
    run(wrapped(MisbehavingStores.Flaky::new)).duration(Duration.ofMillis(200)).build().run();

    assertThat(opened).hasSize(4).allMatch(ForwardingStore::isClosed);
  }

  @Test
  void keyThatAlreadyExistsIsRefusedBeforeTheRunStarts() {
    try (Store store = MemoryStores.connectShared()) {
      store.put(prefix + "/k1", "left over".getBytes(StandardCharsets.UTF_8));
    }
    LinearizabilityRun run = run(wrapped(MisbehavingStores.Flaky::new)).build();

    assertThatThrownBy(run::run)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(prefix + "/k1");
    assertThat(opened).hasSize(4).allMatch(ForwardingStore::isClosed);
  }

  private LinearizabilityRun.Builder run(Supplier<Store> stores) {
    return LinearizabilityRun.builder(stores)
        .keyPrefix(prefix)
        .keys(3)
        .clients(4)
        .maxCallsPerClient(CALLS_PER_CLIENT)
        .duration(Duration.ofSeconds(30))
        .seed(1);
  }

  private Supplier<Store> wrapped(Function<Store, ForwardingStore> wrapper) {
    return () -> {
      ForwardingStore store = wrapper.apply(MemoryStores.connectShared());
      opened.add(store);
      return store;
    };
  }
}
