package dev.valkeyrie.etcd.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.valkeyrie.etcd.launcher.EtcdCluster;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EtcdClusterExtensionTest {
  @RegisterExtension static final EtcdClusterExtension ETCD = EtcdClusterExtension.members(1);

  private final EtcdCluster fromConstructor;

  EtcdClusterExtensionTest(EtcdCluster fromConstructor) {
    this.fromConstructor = fromConstructor;
  }

  @Test
  void injectsTheRunningClusterIntoTestMethods(EtcdCluster etcd) throws Exception {
    assertThat(etcd).isSameAs(ETCD.cluster()).isSameAs(fromConstructor);
    assertThat(ETCD.endpoints()).isEqualTo(etcd.clientEndpoints()).hasSize(1);

    assertThat(get(ETCD.endpoints().get(0) + "/health")).contains("\"health\":\"true\"");
  }

  private static String get(String url) throws IOException {
    HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
    connection.setConnectTimeout(5_000);
    connection.setReadTimeout(5_000);
    try (InputStream in = connection.getInputStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } finally {
      connection.disconnect();
    }
  }
}
