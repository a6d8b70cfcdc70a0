package dev.valkeyrie.etcdv3;

import static dev.valkeyrie.etcdv3.TestSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.etcd.launcher.EtcdCluster;
import dev.valkeyrie.etcd.launcher.TestCertificates;
import dev.valkeyrie.store.InvalidConfigurationException;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.store.StoreUnavailableException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * etcd serving gRPC over TLS with client certificates required ({@code --client-cert-auth}):
 * PEM files and an {@code SSLContext} work; a missing client certificate, an untrusted server
 * and a server whose certificate names another host fail within the timeout, as unavailable and
 * not applied.
 */
class TlsTest {
  private static final TestCertificates CERTS = TestCertificates.create();

  @RegisterExtension
  static final EtcdClusterExtension ETCD = EtcdClusterExtension.of(
      EtcdCluster.builder().name("v3-tls").clientTls(CERTS.clientTls()));

  @RegisterExtension
  static final EtcdClusterExtension OTHER_HOST = EtcdClusterExtension.of(
      EtcdCluster.builder().name("v3-tls-other-host").clientTls(CERTS.otherHostClientTls()));

  private static final Duration TIMEOUT = Duration.ofSeconds(3);

  @AfterAll
  static void deleteCertificates() {
    CERTS.close();
  }

  private static EtcdV3Config.Builder config() {
    return EtcdV3Config.builder().requestTimeout(TIMEOUT).connectionTimeout(Duration.ofSeconds(2));
  }

  @Test
  void mutualTlsFromPemFilesWorks() {
    assertThat(ETCD.endpoints().get(0)).startsWith("https://");
    try (Store store = EtcdV3Store.open(ETCD.endpoints(), config()
        .tls(CERTS.caCertificate(), CERTS.clientCertificate(), CERTS.clientKey()).build())) {
      store.put("tls/pem", utf8("over TLS"));
      assertThat(store.get("tls/pem").valueAsString()).isEqualTo("over TLS");
    }
  }

  @Test
  void anSslContextWorksAndHostPortEndpointsBecomeTls() {
    String hostPort = ETCD.endpoints().get(0).substring("https://".length());
    try (Store store = EtcdV3Store.open(java.util.List.of(hostPort),
        config().tls(CERTS.clientSslContext()).build())) {
      store.put("tls/ssl-context", utf8("v"));
      assertThat(store.get("tls/ssl-context").valueAsString()).isEqualTo("v");
    }
  }

  @Test
  void withoutAClientCertificateTheHandshakeFailsAndNothingIsApplied() {
    try (Store store = EtcdV3Store.open(ETCD.endpoints(),
        config().tls(CERTS.caCertificate(), null, null).build())) {
      assertThatThrownBy(() -> store.put("tls/no-cert", utf8("v")))
          .isInstanceOfSatisfying(StoreUnavailableException.class,
              e -> assertThat(e.outcomeUnknown()).as(e.getMessage()).isFalse());
    }
  }

  @Test
  void anUntrustedServerIsRefused() {
    try (Store store = EtcdV3Store.open(ETCD.endpoints(), config()
        .tls(CERTS.rogueCaCertificate(), CERTS.clientCertificate(), CERTS.clientKey()).build())) {
      assertThatThrownBy(() -> store.get("tls/k"))
          .isInstanceOf(StoreUnavailableException.class);
    }
  }

  @Test
  void aServerCertificateForAnotherHostIsRefused() {
    try (Store store = EtcdV3Store.open(OTHER_HOST.endpoints(), config()
        .tls(CERTS.caCertificate(), CERTS.clientCertificate(), CERTS.clientKey()).build())) {
      assertThatThrownBy(() -> store.put("tls/k", utf8("v")))
          .isInstanceOfSatisfying(StoreUnavailableException.class,
              e -> assertThat(e.outcomeUnknown()).isFalse());
    }
  }

  @Test
  void httpsWithoutTlsConfiguredIsAConfigurationError() {
    assertThatThrownBy(() -> EtcdV3Store.open(ETCD.endpoints(), null))
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("TLS");
  }
}
