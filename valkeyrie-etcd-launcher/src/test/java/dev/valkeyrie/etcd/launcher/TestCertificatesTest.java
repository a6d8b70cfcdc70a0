package dev.valkeyrie.etcd.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SignatureException;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TestCertificatesTest {
  private static TestCertificates certs;

  @BeforeAll
  static void generate() {
    certs = TestCertificates.create();
  }

  @AfterAll
  static void delete() {
    certs.close();
  }

  @Test
  void keysArePkcs8PemAndCertificatesPem() throws Exception {
    for (Path key :
        List.of(
            certs.serverKey(), certs.clientKey(), certs.rogueClientKey(), certs.otherHostKey())) {
      assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
    }
    for (Path cert :
        List.of(
            certs.caCertificate(),
            certs.serverCertificate(),
            certs.clientCertificate(),
            certs.rogueCaCertificate(),
            certs.rogueClientCertificate(),
            certs.otherHostCertificate())) {
      assertThat(Files.readString(cert)).startsWith("-----BEGIN CERTIFICATE-----");
    }
  }

  @Test
  void serverCertificateIsSignedByTheCaFor127001AndLocalhost() throws Exception {
    X509Certificate ca = cert(certs.caCertificate());
    X509Certificate server = cert(certs.serverCertificate());

    server.verify(ca.getPublicKey());
    server.checkValidity();
    assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(server.getBasicConstraints()).isEqualTo(-1);
    assertThat(server.getSubjectAlternativeNames())
        .containsExactlyInAnyOrder(List.of(7, "127.0.0.1"), List.of(2, "localhost"));
    assertThat(server.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
  }

  @Test
  void clientCertificateIsAliceForClientAuth() throws Exception {
    X509Certificate client = cert(certs.clientCertificate());

    client.verify(cert(certs.caCertificate()).getPublicKey());
    assertThat(client.getSubjectX500Principal().getName()).isEqualTo("CN=alice");
    assertThat(client.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
  }

  @Test
  void rogueCertificatesAreNotSignedByTheCa() throws Exception {
    X509Certificate ca = cert(certs.caCertificate());
    X509Certificate rogueClient = cert(certs.rogueClientCertificate());

    rogueClient.verify(cert(certs.rogueCaCertificate()).getPublicKey());
    assertThatThrownBy(() -> rogueClient.verify(ca.getPublicKey()))
        .isInstanceOf(SignatureException.class);
    assertThat(rogueClient.getSubjectX500Principal().getName()).isEqualTo("CN=alice");
  }

  @Test
  void otherHostCertificateIsSignedByTheCaButMatchesNeitherLoopbackName() throws Exception {
    X509Certificate other = cert(certs.otherHostCertificate());

    other.verify(cert(certs.caCertificate()).getPublicKey());
    assertThat(other.getSubjectAlternativeNames()).containsExactly(List.of(2, "etcd.invalid"));
  }

  @Test
  void closeDeletesTheDirectory() {
    TestCertificates scratch = TestCertificates.create();
    Path dir = scratch.directory();
    assertThat(scratch.caCertificate()).isRegularFile();

    scratch.close();

    assertThat(dir).doesNotExist();
    scratch.close(); // idempotent
  }

  private static X509Certificate cert(Path file) {
    return (X509Certificate) PemFiles.certificates(file).get(0);
  }
}
