package dev.valkeyrie.etcd.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.etcd.launcher.EtcdCluster;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The proxy in front of a real etcd member, reached with java.net.http. */
class FaultProxyEtcdTest {
  @RegisterExtension static final EtcdClusterExtension ETCD = EtcdClusterExtension.members(1);

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .proxy(HttpClient.Builder.NO_PROXY)
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  private FaultProxy proxy;
  private String member;
  private String proxied;

  @BeforeEach
  void start(EtcdCluster etcd) {
    member = etcd.member(0).clientEndpoint();
    proxy = FaultProxy.start(member);
    proxied = "http://" + proxy.endpoint();
  }

  @AfterEach
  void closeProxy() {
    proxy.close();
  }

  @Test
  void forwardsRequestsToTheMember() throws Exception {
    HttpResponse<String> version = get(proxied + "/version", Duration.ofSeconds(5));

    assertThat(version.statusCode()).isEqualTo(200);
    assertThat(version.body()).contains("\"etcdserver\":\"3.4");
    assertThat(proxy.bytesToServer()).isPositive();
    assertThat(proxy.bytesToClient()).isPositive();
  }

  @Test
  void aBlackholedMemberTimesRequestsOutUntilHealed() throws Exception {
    proxy.inject(Fault.blackhole());

    assertThatThrownBy(() -> get(proxied + "/version", Duration.ofMillis(500)))
        .isInstanceOf(HttpTimeoutException.class);
    assertThat(proxy.bytesToServer()).isZero();

    proxy.heal();

    assertThat(get(proxied + "/version", Duration.ofSeconds(5)).statusCode()).isEqualTo(200);
  }

  @Test
  void resetAfterZeroAppliesAWriteButLosesItsAnswer() throws Exception {
    proxy.inject(Fault.resetAfter(0));

    assertThatThrownBy(() -> put(proxied, "outcome-unknown", "applied"))
        .isInstanceOf(IOException.class);

    // Asked directly, the member has the value: the write reached it and was applied.
    HttpResponse<String> direct = get(member + "/v2/keys/outcome-unknown", Duration.ofSeconds(5));
    assertThat(direct.statusCode()).isEqualTo(200);
    assertThat(direct.body()).contains("\"value\":\"applied\"");
  }

  private static HttpResponse<String> get(String url, Duration timeout)
      throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(timeout).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> put(String endpoint, String key, String value)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(endpoint + "/v2/keys/" + key))
            .timeout(Duration.ofSeconds(5))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .PUT(HttpRequest.BodyPublishers.ofString("value=" + value))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
