package dev.valkeyrie.etcdv3;

import static dev.valkeyrie.etcdv3.TestSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.valkeyrie.etcd.faults.Fault;
import dev.valkeyrie.etcd.faults.FaultProxy;
import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.store.StoreUnavailableException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A blocking call waiting for an answer that will not come (a blackholed connection, a request
 * timeout far away) ends when its thread is interrupted: it fails saying so and keeps the thread's
 * interrupt status; an interrupted write that says it was not applied was not.
 */
class InterruptedCallTest {
  @RegisterExtension static final EtcdClusterExtension ETCD = EtcdClusterExtension.members(1);

  private FaultProxy proxy;
  private Store store;

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
    if (proxy != null) {
      proxy.close();
    }
  }

  /** A call, and whether it is a write. */
  enum Call {
    GET(false) {
      @Override
      void run(Store store) {
        store.get("interrupted/key");
      }
    },
    LIST(false) {
      @Override
      void run(Store store) {
        store.list("interrupted");
      }
    },
    PUT(true) {
      @Override
      void run(Store store) {
        store.put("interrupted/key", utf8(WRITTEN));
      }
    };

    static final String WRITTEN = "written by the interrupted put";

    final boolean write;

    Call(boolean write) {
      this.write = write;
    }

    abstract void run(Store store);
  }

  /** What the interrupted thread saw. */
  private record Outcome(Throwable failure, boolean stillInterrupted) {}

  @ParameterizedTest
  @EnumSource(Call.class)
  void anInterruptedCallFailsSayingSoAndKeepsTheInterruptStatus(Call call) {
    try (Store direct = EtcdV3Store.open(ETCD.endpoints(), null)) {
      direct.put("interrupted/key", utf8("seed"));
    }
    proxy = FaultProxy.start(ETCD.endpoints().get(0));
    store =
        EtcdV3Store.open(
            java.util.List.of(proxy.endpoint()),
            EtcdV3Config.builder().requestTimeout(Duration.ofMinutes(2)).build());
    store.exists("interrupted/warm-up"); // the connection is up before the fault
    proxy.inject(Fault.blackhole());

    CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    Thread caller =
        new Thread(
            () -> {
              try {
                call.run(store);
                outcome.completeExceptionally(new AssertionError(call + " returned"));
              } catch (Throwable e) {
                outcome.complete(new Outcome(e, Thread.currentThread().isInterrupted()));
              }
            },
            "test-interrupted-" + call);
    caller.setDaemon(true);
    caller.start();
    await().atMost(Duration.ofSeconds(30)).until(() -> caller.getState() == Thread.State.WAITING);
    caller.interrupt();

    Outcome seen =
        await().atMost(Duration.ofSeconds(30)).until(() -> outcome.getNow(null), o -> o != null);
    assertThat(seen.failure())
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("interrupted");
    assertThat(seen.stillInterrupted()).as("the interrupt status is kept").isTrue();
    if (call.write && !((StoreUnavailableException) seen.failure()).outcomeUnknown()) {
      proxy.heal();
      try (Store direct = EtcdV3Store.open(ETCD.endpoints(), null)) {
        assertThat(direct.get("interrupted/key").valueAsString())
            .as(seen.failure().getMessage())
            .isNotEqualTo(Call.WRITTEN);
      }
    }
  }
}
