package dev.valkeyrie.etcdv2.faults;

import static dev.valkeyrie.etcdv2.TestSupport.figure;
import static dev.valkeyrie.etcdv2.TestSupport.millisSince;
import static dev.valkeyrie.etcdv2.TestSupport.onThread;
import static dev.valkeyrie.etcdv2.TestSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.valkeyrie.etcd.faults.Fault;
import dev.valkeyrie.etcd.faults.FaultProxy;
import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.etcd.launcher.EtcdCluster;
import dev.valkeyrie.etcd.launcher.TestCertificates;
import dev.valkeyrie.etcdv2.EtcdV2Config;
import dev.valkeyrie.etcdv2.EtcdV2Store;
import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.KeyEvent;
import dev.valkeyrie.store.KeyNotFoundException;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.store.StoreException;
import dev.valkeyrie.store.StoreUnavailableException;
import dev.valkeyrie.store.Watch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A real etcd member behind a proxy that injects network faults: it never answers, trickles its
 * answer, stalls after the headers or in the middle of the body, resets, or refuses connections.
 * Every call must end within its request timeout (plus the few milliseconds it takes to notice),
 * never return a value cut short, and never resend a write that may have arrived.
 */
class MisbehavingNetworkTest {
  private static final TestCertificates CERTS = TestCertificates.create();

  @RegisterExtension
  static final EtcdClusterExtension PLAIN =
      EtcdClusterExtension.of(EtcdCluster.builder().name("faulty-net"));

  @RegisterExtension
  static final EtcdClusterExtension TLS =
      EtcdClusterExtension.of(
          EtcdCluster.builder().name("faulty-net-tls").clientTls(CERTS.clientTls()));

  private static final Duration REQUEST_TIMEOUT = Duration.ofMillis(1500);

  /**
   * How long past the request timeout a call may take to end. Generous, for a loaded 2-core
   * machine: what it catches is a call bounded only per read, which took 37 s here.
   */
  private static final Duration MARGIN = Duration.ofSeconds(2);

  /** Large enough that a trickled answer (1 KiB per 500 ms) takes far longer than the timeout. */
  private static final byte[] BIG_VALUE = utf8("v".repeat(64 * 1024));

  private static final String BIG_KEY = "faulty-net/big";
  private static final String DIRECTORY = "faulty-net/dir";

  private final List<FaultProxy> proxies = new ArrayList<>();

  @BeforeAll
  static void seed() {
    for (EtcdClusterExtension etcd : List.of(PLAIN, TLS)) {
      try (Store store = EtcdV2Store.open(etcd.endpoints(), config(etcd).build())) {
        store.put(BIG_KEY, BIG_VALUE);
        for (int i = 0; i < 100; i++) {
          store.put(DIRECTORY + "/entry-" + i, utf8("e".repeat(1024)));
        }
      }
    }
  }

  @AfterAll
  static void deleteCertificates() {
    CERTS.close();
  }

  @AfterEach
  void closeProxies() {
    proxies.forEach(FaultProxy::close);
  }

  private static EtcdV2Config.Builder config(EtcdClusterExtension etcd) {
    EtcdV2Config.Builder config =
        EtcdV2Config.builder()
            .connectionTimeout(Duration.ofSeconds(1))
            .requestTimeout(REQUEST_TIMEOUT)
            .watchIdleTimeout(Duration.ofSeconds(1));
    if (etcd == TLS) {
      config.tls(CERTS.caCertificate(), CERTS.clientCertificate(), CERTS.clientKey());
    }
    return config;
  }

  private FaultProxy proxy(EtcdClusterExtension etcd) {
    FaultProxy proxy = FaultProxy.start(etcd.endpoints().get(0));
    proxies.add(proxy);
    return proxy;
  }

  /** A store call, and what it must find when it does get through. */
  enum Call {
    GET_BIG_VALUE {
      @Override
      void run(Store store) {
        assertThat(store.get(BIG_KEY).value()).isEqualTo(BIG_VALUE);
      }
    },
    LIST_100_ENTRIES {
      @Override
      void run(Store store) {
        assertThat(store.list(DIRECTORY)).hasSize(100);
      }
    },
    PUT {
      @Override
      void run(Store store) {
        store.put("faulty-net/put", utf8("value"));
      }
    },
    CREATE {
      @Override
      void run(Store store) {
        store.atomicPut("faulty-net/create-" + System.nanoTime(), utf8("value"), null, null);
      }
    },
    DELETE {
      @Override
      void run(Store store) {
        try {
          store.delete("faulty-net/absent-" + System.nanoTime());
          throw new AssertionError("deleted a key that never existed");
        } catch (KeyNotFoundException expected) {
          // The member's answer got through.
        }
      }
    },
    WATCH_START {
      @Override
      void run(Store store) {
        store.watch(BIG_KEY).close();
      }
    };

    abstract void run(Store store) throws Exception;
  }

  static Stream<Arguments> faultsAndCalls() {
    List<Fault> plainFaults =
        List.of(
            Fault.blackhole(),
            Fault.trickle(1024, Duration.ofMillis(500)),
            Fault.stallAfterHeaders(),
            Fault.stallAfter(4096));
    // Bytes on a TLS connection are records, not HTTP text: the header faults do not apply.
    List<Fault> tlsFaults =
        List.of(
            Fault.blackhole(), Fault.trickle(1024, Duration.ofMillis(500)), Fault.stallAfter(4096));
    List<Arguments> cases = new ArrayList<>();
    for (Call call : Call.values()) {
      plainFaults.forEach(fault -> cases.add(Arguments.of("http", fault, call)));
    }
    for (Call call : List.of(Call.GET_BIG_VALUE, Call.LIST_100_ENTRIES, Call.PUT)) {
      tlsFaults.forEach(fault -> cases.add(Arguments.of("https", fault, call)));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}, {1}: {2}")
  @MethodSource("faultsAndCalls")
  void everyCallEndsWithinItsRequestTimeoutWhateverTheMemberDoes(
      String scheme, Fault fault, Call call) throws Exception {
    EtcdClusterExtension etcd = scheme.equals("https") ? TLS : PLAIN;
    FaultProxy proxy = proxy(etcd);
    proxy.inject(fault);
    try (Store store = EtcdV2Store.open(List.of(proxy.endpoint()), config(etcd).build())) {
      long start = System.nanoTime();
      CompletableFuture<Void> outcome =
          onThread(
              "call",
              () -> {
                call.run(store);
                return null;
              });
      // Either it got through in time with the right data, or it failed as unavailable.
      Throwable failure =
          outcome
              .handle((ok, e) -> e)
              .get(REQUEST_TIMEOUT.plus(MARGIN).toMillis(), TimeUnit.MILLISECONDS);
      figure(
          "%s %s %s: ended after %d ms (request timeout %d ms)%s",
          scheme,
          fault,
          call,
          millisSince(start),
          REQUEST_TIMEOUT.toMillis(),
          failure == null ? ", answered" : ", " + failure);
      if (failure != null) {
        assertThat(failure).isInstanceOf(StoreUnavailableException.class);
      }
    }
  }

  @Test
  void aValueCutShortByAResetIsNeverReturned() throws Exception {
    FaultProxy proxy = proxy(PLAIN);
    proxy.inject(Fault.resetAfter(20_000));
    try (Store store = EtcdV2Store.open(List.of(proxy.endpoint()), config(PLAIN).build())) {
      assertThatThrownBy(() -> store.get(BIG_KEY))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining(BIG_KEY);
      proxy.heal();
      assertThat(store.get(BIG_KEY).value()).isEqualTo(BIG_VALUE);
    }
  }

  @Test
  void aListingCutShortAfterItsHeadersIsNeverReturned() {
    FaultProxy proxy = proxy(PLAIN);
    proxy.inject(Fault.closeAfterHeaders());
    try (Store store = EtcdV2Store.open(List.of(proxy.endpoint()), config(PLAIN).build())) {
      assertThatThrownBy(() -> store.list(DIRECTORY))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining(DIRECTORY);
    }
  }

  @Test
  void aWriteMovesToTheNextMemberWhenTheFirstRefusesTheConnection() {
    FaultProxy refusing = proxy(PLAIN);
    FaultProxy next = proxy(PLAIN);
    refusing.inject(Fault.refuse());
    try (Store store =
        EtcdV2Store.open(List.of(refusing.endpoint(), next.endpoint()), config(PLAIN).build())) {
      KVPair created = store.atomicPut("faulty-net/refused-first", utf8("once"), null, null);
      assertThat(store.get("faulty-net/refused-first")).isEqualTo(created);
    }
  }

  /**
   * The answer is reset after the member's {@code 100 Continue} (25 bytes) and one more byte: the
   * body went out, and the member may have applied the write. It is not resent to the next member;
   * the failure says that its outcome is unknown.
   */
  @Test
  void aWriteWhoseAnswerIsLostIsNotResentAndItsOutcomeIsUnknown() {
    FaultProxy resetting = proxy(PLAIN);
    FaultProxy next = proxy(PLAIN);
    resetting.inject(Fault.resetAfter(26));
    try (Store store =
        EtcdV2Store.open(List.of(resetting.endpoint(), next.endpoint()), config(PLAIN).build())) {
      assertThatThrownBy(() -> store.put("faulty-net/lost-answer", utf8("maybe")))
          .isInstanceOfSatisfying(
              StoreUnavailableException.class, e -> assertThat(e.outcomeUnknown()).isTrue())
          .hasMessageContaining("outcome is unknown");
      assertThat(next.acceptedConnections()).as("connections to the next member").isZero();
    }
  }

  /**
   * The member goes silent before it asks for a write's body: nothing it could apply was sent, so
   * the write moves on, and a single member's store says it was not applied.
   */
  @Test
  void aWriteToASilentMemberWasNotAppliedAndSaysSo() {
    FaultProxy silent = proxy(PLAIN);
    silent.inject(Fault.blackhole());
    try (Store store = EtcdV2Store.open(List.of(silent.endpoint()), config(PLAIN).build())) {
      assertThatThrownBy(() -> store.put("faulty-net/silent", utf8("never")))
          .isInstanceOfSatisfying(
              StoreUnavailableException.class, e -> assertThat(e.outcomeUnknown()).isFalse())
          .hasMessageContaining("not applied");
    }
    try (Store direct = EtcdV2Store.open(PLAIN.endpoints(), config(PLAIN).build())) {
      assertThat(direct.exists("faulty-net/silent")).isFalse();
    }
  }

  @Test
  void aWatchBehindAHealedNetworkResumesWithoutMissingAWrite() throws Exception {
    FaultProxy proxy = proxy(PLAIN);
    String key = "faulty-net/watched";
    try (Store direct = EtcdV2Store.open(PLAIN.endpoints(), config(PLAIN).build());
        Store store = EtcdV2Store.open(List.of(proxy.endpoint()), config(PLAIN).build())) {
      direct.put(key, utf8("v0"));
      try (Watch<KeyEvent> watch = store.watchEvents(key, null)) {
        assertThat(watch.take().pair().valueAsString()).isEqualTo("v0");
        proxy.inject(Fault.blackhole());
        proxy.cutAll();
        for (int i = 1; i <= 5; i++) {
          direct.put(key, utf8("v" + i));
        }
        // The watch's polls go nowhere for longer than its idle timeout, then the network heals.
        await("the watch polls into the blackhole")
            .atMost(Duration.ofSeconds(10))
            .until(() -> proxy.acceptedConnections() >= 4);
        proxy.heal();
        List<String> seen = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
          KeyEvent event = watch.poll(Duration.ofSeconds(10));
          assertThat(event).as("event %d of 5", i).isNotNull();
          seen.add(event.pair().valueAsString());
        }
        assertThat(seen).containsExactly("v1", "v2", "v3", "v4", "v5");
      }
    }
  }

  @Test
  void closeReturnsPromptlyAndEndsACallStuckOnASilentMember() throws Exception {
    FaultProxy proxy = proxy(PLAIN);
    proxy.inject(Fault.blackhole());
    EtcdV2Config patient = config(PLAIN).requestTimeout(Duration.ofSeconds(60)).build();
    Store store = EtcdV2Store.open(List.of(proxy.endpoint()), patient);
    CompletableFuture<KVPair> stuck = onThread("stuck-get", () -> store.get(BIG_KEY));
    await("the get connected to the silent member")
        .atMost(Duration.ofSeconds(10))
        .until(() -> proxy.acceptedConnections() > 0);

    long start = System.nanoTime();
    store.close();
    long closeMillis = millisSince(start);
    Throwable failure = stuck.handle((ok, e) -> e).get(10, TimeUnit.SECONDS);
    figure("close() with a call stuck on a silent member: %d ms", closeMillis);

    assertThat(failure).isInstanceOf(StoreException.class);
    assertThat(FaultSupport.storeThreads()).isEmpty();
  }

  @Test
  void theValuesOfEveryKindRoundTripThroughTheProxy() {
    FaultProxy proxy = proxy(PLAIN);
    proxy.inject(Fault.delay(Duration.ofMillis(5)));
    try (Store store = EtcdV2Store.open(List.of(proxy.endpoint()), config(PLAIN).build())) {
      byte[] unusual = utf8("ünïcödé +%&?#= \n\t 😀");
      store.put("faulty-net/unusual", unusual);
      assertThat(Arrays.equals(store.get("faulty-net/unusual").value(), unusual)).isTrue();
      assertThat(store.get(BIG_KEY).value()).isEqualTo(BIG_VALUE);
    }
  }
}
