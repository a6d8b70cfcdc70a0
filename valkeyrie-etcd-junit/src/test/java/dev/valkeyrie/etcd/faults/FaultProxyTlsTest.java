package dev.valkeyrie.etcd.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.valkeyrie.etcd.launcher.EtcdCluster;
import dev.valkeyrie.etcd.launcher.TestCertificates;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The proxy does not look into what it forwards: TLS and HTTP/2 pass as any other bytes. */
class FaultProxyTlsTest {
  private TestCertificates certs;
  private EtcdCluster etcd;
  private FaultProxy proxy;

  @AfterEach
  void closeAll() {
    if (proxy != null) {
      proxy.close();
    }
    if (etcd != null) {
      etcd.close();
    }
    if (certs != null) {
      certs.close();
    }
  }

  @Test
  void passesTlsAndHttp2ThroughToATlsMember() throws Exception {
    certs = TestCertificates.create();
    etcd = EtcdCluster.builder().name("proxy-tls").clientTls(certs.clientTls()).build().start();
    proxy = FaultProxy.start(etcd.member(0).clientEndpoint());
    // Host names are verified: the server certificate is valid for 127.0.0.1, the proxy's host.
    HttpClient http =
        HttpClient.newBuilder()
            .proxy(HttpClient.Builder.NO_PROXY)
            .sslContext(certs.clientSslContext())
            .version(HttpClient.Version.HTTP_2)
            .build();

    HttpResponse<String> version =
        http.send(
            HttpRequest.newBuilder(URI.create("https://" + proxy.endpoint() + "/version"))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(version.statusCode()).isEqualTo(200);
    assertThat(version.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(version.body()).contains("\"etcdserver\":\"3.4");
  }
}
