package dev.valkeyrie.store.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.valkeyrie.store.TooManyRequestsException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OutstandingCallsTest {

  @Test
  void aCallWithinTheBoundIsStarted() {
    OutstandingCalls bound = new OutstandingCalls(2);
    CompletableFuture<String> call = new CompletableFuture<>();

    CompletableFuture<String> started = bound.start(() -> call);
    call.complete("done");

    assertThat(started.join()).isEqualTo("done");
  }

  @Test
  void aCallBeyondTheBoundIsRefusedWithoutBeingStarted() {
    OutstandingCalls bound = new OutstandingCalls(1);
    var unused = bound.start(CompletableFuture::new);
    AtomicInteger started = new AtomicInteger();

    CompletableFuture<Object> refused =
        bound.start(
            () -> {
              started.incrementAndGet();
              return new CompletableFuture<>();
            });

    assertThat(started).hasValue(0);
    assertThatThrownBy(refused::join)
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(TooManyRequestsException.class)
        .hasMessageContaining("1");
  }

  @Test
  void aCompletedCallNoLongerCounts() {
    OutstandingCalls bound = new OutstandingCalls(1);
    CompletableFuture<String> first = new CompletableFuture<>();
    var unused = bound.start(() -> first);

    first.complete("done");

    assertThat(bound.outstanding()).isZero();
    assertThat(bound.start(() -> CompletableFuture.completedFuture("second")).join())
        .isEqualTo("second");
  }

  @Test
  void aFailedCallNoLongerCounts() {
    OutstandingCalls bound = new OutstandingCalls(1);
    CompletableFuture<String> first = new CompletableFuture<>();
    var unused = bound.start(() -> first);

    first.completeExceptionally(new IllegalStateException("failed"));

    assertThat(bound.outstanding()).isZero();
  }

  @Test
  void aCallThatThrowsIsReturnedAsAFailedFutureAndNoLongerCounts() {
    OutstandingCalls bound = new OutstandingCalls(1);

    CompletableFuture<Object> failed =
        bound.start(
            () -> {
              throw new IllegalArgumentException("bad key");
            });

    assertThatThrownBy(failed::join).cause().isInstanceOf(IllegalArgumentException.class);
    assertThat(bound.outstanding()).isZero();
  }

  @Test
  void aStageOfTheReturnedFutureSeesTheCallNoLongerCounted() {
    OutstandingCalls bound = new OutstandingCalls(1);
    CompletableFuture<String> first = new CompletableFuture<>();

    CompletableFuture<String> next =
        bound
            .start(() -> first)
            .thenCompose(r -> bound.start(() -> CompletableFuture.completedFuture("next")));
    first.complete("first");

    assertThat(next.join()).isEqualTo("next");
  }

  @Test
  void cancellingTheReturnedFutureCancelsTheCall() {
    OutstandingCalls bound = new OutstandingCalls(1);
    CompletableFuture<String> call = new CompletableFuture<>();

    bound.start(() -> call).cancel(false);

    assertThat(call).isCancelled();
    assertThat(bound.outstanding()).isZero();
  }

  @Test
  void aBoundBelowOneIsRefused() {
    assertThatThrownBy(() -> new OutstandingCalls(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0");
  }
}
