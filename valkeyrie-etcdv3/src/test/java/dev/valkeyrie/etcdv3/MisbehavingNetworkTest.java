package dev.valkeyrie.etcdv3;

import static dev.valkeyrie.etcdv3.TestSupport.figure;
import static dev.valkeyrie.etcdv3.TestSupport.millisSince;
import static dev.valkeyrie.etcdv3.TestSupport.onThread;
import static dev.valkeyrie.etcdv3.TestSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.valkeyrie.etcd.faults.Fault;
import dev.valkeyrie.etcd.faults.FaultProxy;
import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.store.StoreException;
import dev.valkeyrie.store.StoreUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A real etcd member behind a proxy that injects network faults (blackhole, stall, trickle, long
 * delay, reset, refused connections). Every call must end within its request timeout (plus the
 * moments it takes to notice), never return a value cut short, and say truthfully whether a failed
 * write may have been applied: a write that never reached a connection was not applied; one sent on
 * a live connection whose answer was lost has an unknown outcome.
 */
class MisbehavingNetworkTest {
  @RegisterExtension static final EtcdClusterExtension ETCD = EtcdClusterExtension.members(1);

  private static final Duration REQUEST_TIMEOUT = Duration.ofMillis(1500);

  private static final String WRITTEN_KEY = "faulty-net/written";

  /** Generous, for a loaded 2-core machine: what it catches is a call bounded by nothing. */
  private static final Duration MARGIN = Duration.ofSeconds(2);

  private static final byte[] BIG_VALUE = utf8("v".repeat(256 * 1024));
  private static final String BIG_KEY = "faulty-net/big";

  private final List<FaultProxy> proxies = new ArrayList<>();
  private final List<Store> stores = new ArrayList<>();

  @BeforeAll
  static void seed() {
    try (Store store = EtcdV3Store.open(ETCD.endpoints(), null)) {
      store.put(BIG_KEY, BIG_VALUE);
      for (int i = 0; i < 50; i++) {
        store.put("faulty-net/dir/entry-" + i, utf8("e".repeat(1024)));
      }
    }
  }

  @AfterEach
  void closeAll() {
    stores.forEach(Store::close);
    proxies.forEach(FaultProxy::close);
  }

  private FaultProxy proxy() {
    FaultProxy proxy = FaultProxy.start(ETCD.endpoints().get(0));
    proxies.add(proxy);
    return proxy;
  }

  private Store open(List<String> endpoints) {
    Store store =
        EtcdV3Store.open(
            endpoints,
            EtcdV3Config.builder()
                .connectionTimeout(Duration.ofSeconds(1))
                .requestTimeout(REQUEST_TIMEOUT)
                .build());
    stores.add(store);
    return store;
  }

  /** A store call, and what it must find when it does get through. */
  enum Call {
    GET_BIG_VALUE(false) {
      @Override
      void run(Store store, String value) {
        assertThat(store.get(BIG_KEY).value()).isEqualTo(BIG_VALUE);
      }
    },
    LIST_50_ENTRIES(false) {
      @Override
      void run(Store store, String value) {
        assertThat(store.list("faulty-net/dir")).hasSize(50);
      }
    },
    PUT(true) {
      @Override
      void run(Store store, String value) {
        store.put(WRITTEN_KEY, utf8(value));
      }
    };

    final boolean write;

    Call(boolean write) {
      this.write = write;
    }

    /** Runs the call; a write writes {@code value}, unique to the case. */
    abstract void run(Store store, String value);
  }

  static Stream<Arguments> faultsAndCalls() {
    List<Fault> faults =
        List.of(
            Fault.blackhole(),
            Fault.stallAfter(0),
            Fault.trickle(64, Duration.ofMillis(500)),
            Fault.delay(Duration.ofSeconds(4)),
            Fault.resetAfter(0));
    List<Arguments> all = new ArrayList<>();
    for (Fault fault : faults) {
      for (Call call : List.of(Call.GET_BIG_VALUE, Call.LIST_50_ENTRIES, Call.PUT)) {
        all.add(Arguments.of(fault, call));
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} / {1}")
  @MethodSource("faultsAndCalls")
  void everyCallEndsWithinItsTimeoutOnAnEstablishedConnection(Fault fault, Call call)
      throws Exception {
    FaultProxy proxy = proxy();
    Store store = open(List.of(proxy.endpoint()));
    store.exists("faulty-net/warm-up"); // the connection is up before the fault
    proxy.inject(fault);

    String value = "w-" + fault + "-" + System.nanoTime();
    long start = System.nanoTime();
    CompletableFuture<Void> done =
        onThread(
            "call",
            () -> {
              call.run(store, value);
              return null;
            });
    Throwable failure = null;
    try {
      done.get(REQUEST_TIMEOUT.plus(MARGIN).toMillis() + 5_000, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      failure = e.getCause();
    }
    long took = millisSince(start);
    figure(
        "v3 fault %s, %s: %d ms (timeout %d ms): %s",
        fault,
        call,
        took,
        REQUEST_TIMEOUT.toMillis(),
        failure == null ? "succeeded" : describe(failure));
    assertThat(took)
        .as("the call's duration in ms")
        .isLessThan(REQUEST_TIMEOUT.plus(MARGIN).toMillis());
    if (failure != null) {
      assertThat(failure).isInstanceOf(StoreException.class);
      if (call.write && failure instanceof StoreUnavailableException u && !u.outcomeUnknown()) {
        // Said "not applied" (the connection was found dead before the write went out, as when a
        // reset fault catches a frame etcd sends on its own first): then it must not be applied.
        proxy.heal();
        try (Store direct = EtcdV3Store.open(ETCD.endpoints(), null)) {
          assertThat(direct.exists(WRITTEN_KEY) ? direct.get(WRITTEN_KEY).valueAsString() : "")
              .as(u.getMessage())
              .isNotEqualTo(value);
        }
      }
    }
  }

  @Test
  void aWriteThatNeverReachedAConnectionIsReportedNotApplied() throws Exception {
    FaultProxy proxy = proxy();
    proxy.inject(Fault.blackhole()); // accepted, but etcd's HTTP/2 settings never arrive
    Store store = open(List.of(proxy.endpoint()));

    long start = System.nanoTime();
    assertThatThrownBy(() -> store.put("faulty-net/never-sent", utf8("v")))
        .isInstanceOfSatisfying(
            StoreUnavailableException.class,
            e -> assertThat(e.outcomeUnknown()).as(e.getMessage()).isFalse())
        .hasMessageContaining("not applied");
    long took = millisSince(start);
    figure("v3 write to a blackholed new connection: %d ms, reported not applied", took);
    assertThat(took).isLessThan(REQUEST_TIMEOUT.plus(MARGIN).toMillis());
    proxy.heal();
    try (Store direct = EtcdV3Store.open(ETCD.endpoints(), null)) {
      assertThat(direct.exists("faulty-net/never-sent")).isFalse();
    }
  }

  @Test
  void aRefusedConnectionFailsFastAndSaysTheWriteWasNotApplied() {
    FaultProxy proxy = proxy();
    proxy.inject(Fault.refuse());
    Store store = open(List.of(proxy.endpoint()));

    long start = System.nanoTime();
    assertThatThrownBy(() -> store.put("faulty-net/refused", utf8("v")))
        .isInstanceOfSatisfying(
            StoreUnavailableException.class, e -> assertThat(e.outcomeUnknown()).isFalse())
        .hasMessageContaining(proxy.endpoint());
    figure("v3 write to a refusing member: %d ms", millisSince(start));
  }

  @Test
  void readsAndUnsentWritesMoveOnFromABlackholedMemberToAHealthyOne() throws Exception {
    FaultProxy proxy = proxy();
    proxy.inject(Fault.blackhole());
    Store store = open(List.of(proxy.endpoint(), ETCD.endpoints().get(0)));

    long start = System.nanoTime();
    store.put("faulty-net/moved-on", utf8("v"));
    long writeTook = millisSince(start);
    start = System.nanoTime();
    assertThat(store.get(BIG_KEY).value()).isEqualTo(BIG_VALUE);
    long readTook = millisSince(start);
    figure(
        "v3 blackholed first member: unsent write moved on in %d ms, read in %d ms",
        writeTook, readTook);
    assertThat(writeTook).isLessThan(REQUEST_TIMEOUT.plus(MARGIN).toMillis());
    assertThat(store.get("faulty-net/moved-on").valueAsString()).isEqualTo("v");
  }

  @Test
  void aWriteSentOnALiveConnectionWhoseAnswerIsLostIsNeverResent() throws Exception {
    FaultProxy proxy = proxy();
    Store store = open(List.of(proxy.endpoint(), ETCD.endpoints().get(0)));
    store.exists("faulty-net/warm-up");
    String key = "faulty-net/lost-answer-" + System.nanoTime();
    proxy.inject(Fault.stallAfter(0)); // the request reaches etcd; the answer never comes back

    assertThatThrownBy(() -> store.atomicPut(key, utf8("once"), null, null))
        .isInstanceOfSatisfying(
            StoreUnavailableException.class,
            e -> assertThat(e.outcomeUnknown()).as(e.getMessage()).isTrue());

    // Applied once by the member that got it; not resent to the healthy member (which would have
    // answered KeyExists or written a second time).
    try (Store direct = EtcdV3Store.open(ETCD.endpoints(), null)) {
      assertThat(direct.get(key).valueAsString()).isEqualTo("once");
    }
  }

  private static String describe(Throwable failure) {
    String text = failure.getClass().getSimpleName() + ": " + failure.getMessage();
    if (failure instanceof StoreUnavailableException u) {
      text += " [outcomeUnknown=" + u.outcomeUnknown() + "]";
    }
    return text.length() > 300 ? text.substring(0, 300) + "..." : text;
  }
}
