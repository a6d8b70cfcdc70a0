package dev.valkeyrie.etcdv2.security;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.etcd.launcher.EtcdCluster;
import dev.valkeyrie.etcd.launcher.TestCertificates;
import dev.valkeyrie.etcdv2.EtcdV2Config;
import dev.valkeyrie.etcdv2.EtcdV2Store;
import dev.valkeyrie.store.InvalidConfigurationException;
import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.store.StoreException;
import dev.valkeyrie.store.StoreUnavailableException;
import dev.valkeyrie.store.Watch;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An etcd that serves clients over https with certificates generated at test time, and requires
 * client certificates ({@code --client-cert-auth}). A TLS failure happens in the handshake, never
 * as an HTTP status: the store must still say clearly which endpoint failed and that TLS is why.
 */
class TlsTest {
  private static final TestCertificates CERTS = TestCertificates.create();

  @RegisterExtension
  static final EtcdClusterExtension ETCD =
      EtcdClusterExtension.of(EtcdCluster.builder().name("tls").clientTls(CERTS.clientTls()));

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);

  /** A refused handshake is not worth waiting for: well within the request timeout. */
  private static final Duration FAIL_BOUND = REQUEST_TIMEOUT.plusSeconds(3);

  @AfterAll
  static void deleteCertificates() {
    CERTS.close();
  }

  private static EtcdV2Config.Builder config() {
    return EtcdV2Config.builder()
        .requestTimeout(REQUEST_TIMEOUT)
        .connectionTimeout(Duration.ofSeconds(1));
  }

  private static EtcdV2Config rightCertificates() {
    return config()
        .tls(CERTS.caCertificate(), CERTS.clientCertificate(), CERTS.clientKey())
        .build();
  }

  private static String endpoint() {
    return ETCD.endpoints().get(0);
  }

  private static int port() {
    return URI.create(endpoint()).getPort();
  }

  @Test
  void theRightCaAndClientCertificateFromPemFilesWork() throws Exception {
    assertThat(endpoint()).startsWith("https://127.0.0.1:");
    try (Store store = EtcdV2Store.open(ETCD.endpoints(), rightCertificates())) {
      store.put("tls/pem/a", "over https".getBytes(UTF_8));
      assertThat(store.get("tls/pem/a").valueAsString()).isEqualTo("over https");
      assertThat(store.list("tls/pem")).extracting(KVPair::key).containsExactly("tls/pem/a");
      try (Watch<KVPair> watch = store.watch("tls/pem/a")) {
        assertThat(watch.take().valueAsString()).isEqualTo("over https");
        store.put("tls/pem/a", "changed".getBytes(UTF_8));
        assertThat(watch.poll(Duration.ofSeconds(10)))
            .isNotNull()
            .extracting(KVPair::valueAsString)
            .isEqualTo("changed");
      }
    }
  }

  @Test
  void hostPortEndpointsMeanHttpsWhenTlsIsConfigured() {
    try (Store store = EtcdV2Store.open(List.of("127.0.0.1:" + port()), rightCertificates())) {
      store.put("tls/host-port", "yes".getBytes(UTF_8));
      assertThat(store.get("tls/host-port").valueAsString()).isEqualTo("yes");
    }
  }

  @Test
  void aLocalhostEndpointIsCheckedAgainstTheCertificatesDnsName() {
    try (Store store =
        EtcdV2Store.open(List.of("https://localhost:" + port()), rightCertificates())) {
      store.put("tls/localhost", "yes".getBytes(UTF_8));
      assertThat(store.get("tls/localhost").valueAsString()).isEqualTo("yes");
    }
  }

  @Test
  void anSslContextWorksLikeThePemFiles() {
    EtcdV2Config config = config().tls(CERTS.clientSslContext()).build();
    try (Store store = EtcdV2Store.open(ETCD.endpoints(), config)) {
      store.put("tls/context", "yes".getBytes(UTF_8));
      assertThat(store.get("tls/context").valueAsString()).isEqualTo("yes");
    }
  }

  @Test
  void aServerSignedByAnUntrustedCaIsRefusedClearly() {
    EtcdV2Config config =
        config()
            .tls(CERTS.rogueCaCertificate(), CERTS.clientCertificate(), CERTS.clientKey())
            .build();

    StoreException failure = failureOfAGet(config, ETCD.endpoints(), "wrong CA");

    assertClearTlsFailure(failure, "127.0.0.1:" + port());
    assertThat(failure.getMessage().toLowerCase(Locale.ROOT))
        .containsAnyOf("certificate", "trust", "pkix");
  }

  /** A handshake that fails sends nothing: a write refused this way was not applied. */
  @Test
  void aWriteWhoseHandshakeFailedWasNotAppliedAndSaysSo() {
    EtcdV2Config config =
        config()
            .tls(CERTS.rogueCaCertificate(), CERTS.clientCertificate(), CERTS.clientKey())
            .build();
    try (Store store = EtcdV2Store.open(ETCD.endpoints(), config)) {
      assertThatThrownBy(() -> store.put("tls/handshake/never", "v".getBytes(UTF_8)))
          .isInstanceOfSatisfying(
              StoreUnavailableException.class, e -> assertThat(e.outcomeUnknown()).isFalse())
          .hasMessageContaining("not applied")
          .hasMessageNotContaining("outcome is unknown");
    }
    try (Store store = EtcdV2Store.open(ETCD.endpoints(), rightCertificates())) {
      assertThat(store.exists("tls/handshake/never")).isFalse();
    }
  }

  @Test
  void aMissingClientCertificateIsRefusedClearly() {
    EtcdV2Config config = config().tls(CERTS.caCertificate(), null, null).build();

    StoreException failure = failureOfAGet(config, ETCD.endpoints(), "no client certificate");

    assertClearTlsFailure(failure, "127.0.0.1:" + port());
  }

  @Test
  void aClientCertificateFromAnotherCaIsRefusedClearly() {
    EtcdV2Config config =
        config()
            .tls(CERTS.caCertificate(), CERTS.rogueClientCertificate(), CERTS.rogueClientKey())
            .build();

    StoreException failure =
        failureOfAGet(config, ETCD.endpoints(), "client certificate from another CA");

    assertClearTlsFailure(failure, "127.0.0.1:" + port());
  }

  @Test
  void aServerCertificateForAnotherHostIsRefused() {
    try (EtcdCluster otherHost =
        EtcdCluster.builder()
            .name("tls-other-host")
            .clientTls(CERTS.otherHostClientTls())
            .build()
            .start()) {
      String endpoint = otherHost.clientEndpoints().get(0);

      StoreException failure =
          failureOfAGet(rightCertificates(), List.of(endpoint), "host name mismatch");

      assertClearTlsFailure(failure, endpoint.replace("https://", ""));
      assertThat(failure.getMessage()).containsAnyOf("127.0.0.1", TestCertificates.OTHER_HOST);
    }
  }

  @Test
  void unusablePemFilesAreRefusedNamingTheFile() {
    assertThatThrownBy(
            () ->
                config()
                    .tls(
                        CERTS.directory().resolve("missing-ca.crt"),
                        CERTS.clientCertificate(),
                        CERTS.clientKey()))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("missing-ca.crt");
    assertThatThrownBy(
            () -> config().tls(CERTS.caCertificate(), CERTS.clientKey(), CERTS.clientKey()))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining(CERTS.clientKey().getFileName().toString());
    assertThatThrownBy(() -> config().tls(CERTS.caCertificate(), CERTS.clientCertificate(), null))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("key");
  }

  /** Runs a get that must fail, prints what the user sees, and checks it failed in time. */
  private static StoreException failureOfAGet(
      EtcdV2Config config, List<String> endpoints, String situation) {
    try (Store store = EtcdV2Store.open(endpoints, config)) {
      long start = System.nanoTime();
      Throwable thrown = catchThrowable(() -> store.get("tls/anything"));
      long ms = (System.nanoTime() - start) / 1_000_000;
      System.out.println("TLS failure (" + situation + ") after " + ms + " ms: " + thrown);
      assertThat(thrown).as(situation).isInstanceOf(StoreException.class);
      assertThat(Duration.ofMillis(ms)).as(situation + ": time to fail").isLessThan(FAIL_BOUND);
      return (StoreException) thrown;
    }
  }

  /**
   * A TLS failure is either a configuration problem or an unreachable server, and its message says
   * which endpoint and that TLS is the reason.
   */
  private static void assertClearTlsFailure(StoreException failure, String authority) {
    assertThat(failure)
        .isInstanceOfAny(StoreUnavailableException.class, InvalidConfigurationException.class)
        .hasMessageContaining(authority);
    assertThat(failure.getMessage().toLowerCase(Locale.ROOT))
        .containsAnyOf("tls", "ssl", "handshake", "certificate");
  }
}
