package dev.valkeyrie.etcd.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpResponse;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TlsMemberTest {
  private static TestCertificates certs;
  private EtcdCluster cluster;

  @BeforeAll
  static void generate() {
    certs = TestCertificates.create();
  }

  @AfterAll
  static void delete() {
    certs.close();
  }

  @AfterEach
  void closeCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void membersServeHttpsAndRequireAClientCertificate() throws Exception {
    cluster = EtcdCluster.builder().name("tls").clientTls(certs.clientTls()).build().start();
    String endpoint = cluster.member(0).clientEndpoint();

    assertThat(cluster.clientEndpoints()).containsExactly(endpoint);
    assertThat(endpoint).matches("https://127\\.0\\.0\\.1:\\d+");
    TestHttp withCertificate = TestHttp.tls(certs.clientSslContext());
    assertThat(withCertificate.put(endpoint, "tls-key", "secret").statusCode()).isEqualTo(201);
    assertThat(withCertificate.get(endpoint + "/v2/keys/tls-key").body()).contains("secret");
    assertThat(cluster.leader()).isSameAs(cluster.member(0));

    SSLContext trustOnly = PemFiles.sslContext(certs.caCertificate(), null, null);
    assertThatThrownBy(() -> TestHttp.tls(trustOnly).get(endpoint + "/health"))
        .isInstanceOf(IOException.class);
    String plain = endpoint.replace("https://", "http://");
    assertThatThrownBy(
            () -> {
              HttpResponse<String> answer = TestHttp.plain().get(plain + "/health");
              throw new AssertionError(
                  "plain http to the TLS port answered " + answer.statusCode());
            })
        .isInstanceOf(IOException.class);
  }

  @Test
  void aKilledTlsMemberIsProbedOverTlsWhenItStartsAgain() throws Exception {
    cluster =
        EtcdCluster.builder().name("tls-restart").clientTls(certs.clientTls()).build().start();
    EtcdMember member = cluster.member(0);
    TestHttp client = TestHttp.tls(certs.clientSslContext());
    assertThat(client.put(member.clientEndpoint(), "kept", "yes").statusCode()).isEqualTo(201);

    member.kill();
    member.start();

    assertThat(client.get(member.clientEndpoint() + "/v2/keys/kept").body()).contains("yes");
  }

  @Test
  void aMemberServingACertificateForAnotherHostStartsButFailsHostNameChecks() {
    cluster =
        EtcdCluster.builder()
            .name("tls-other-host")
            .clientTls(certs.otherHostClientTls())
            .build()
            .start();
    String endpoint = cluster.member(0).clientEndpoint();

    assertThat(cluster.member(0).isRunning()).isTrue();
    assertThatThrownBy(() -> TestHttp.tls(certs.clientSslContext()).get(endpoint + "/health"))
        .isInstanceOf(IOException.class)
        .hasStackTraceContaining("127.0.0.1");
  }

  @Test
  void clientTlsRefusesMissingFiles() {
    assertThatThrownBy(
            () ->
                ClientTls.serverCertificate(
                    certs.directory().resolve("missing.crt"),
                    certs.serverKey(),
                    certs.caCertificate()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("missing.crt");
  }
}
