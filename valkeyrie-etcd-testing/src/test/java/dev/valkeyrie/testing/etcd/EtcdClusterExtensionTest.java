package dev.valkeyrie.testing.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EtcdClusterExtensionTest {
  @RegisterExtension
  static final EtcdClusterExtension ETCD = EtcdClusterExtension.members(1);

  private final EtcdCluster fromConstructor;

  EtcdClusterExtensionTest(EtcdCluster fromConstructor) {
    this.fromConstructor = fromConstructor;
  }

  @Test
  void injectsTheRunningClusterIntoTestMethods(EtcdCluster etcd) throws Exception {
    assertThat(etcd).isSameAs(ETCD.cluster()).isSameAs(fromConstructor);
    assertThat(ETCD.endpoints()).isEqualTo(etcd.clientEndpoints()).hasSize(1);

    String endpoint = ETCD.endpoints().get(0);
    HttpResponse<String> health = V2Client.get(endpoint, "/health", Duration.ofSeconds(5));
    assertThat(health.body()).contains("\"health\":\"true\"");
    assertThat(V2Client.put(endpoint, "via-extension", "yes").statusCode()).isEqualTo(201);
    assertThat(V2Client.value(endpoint, "via-extension", true)).isEqualTo("yes");
  }
}
