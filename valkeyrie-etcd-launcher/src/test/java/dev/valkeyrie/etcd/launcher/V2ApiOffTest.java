package dev.valkeyrie.etcd.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code v2Api(false)}: members as etcd 3.4+ runs them by default, serving v3 only. */
class V2ApiOffTest {
  private EtcdCluster cluster;

  @AfterEach
  void closeCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void membersServeV3AndAnswerTheV2KeysPathWithPlainText404() throws Exception {
    cluster = EtcdCluster.builder().name("v2off").v2Api(false).build().start();
    String endpoint = cluster.clientEndpoints().get(0);
    TestHttp http = TestHttp.plain();

    HttpResponse<String> v2 = http.get(endpoint + "/v2/keys/k");
    // "k" and "v" in base64, as v3's JSON gateway takes them.
    HttpResponse<String> put =
        http.postJson(endpoint + "/v3/kv/put", "{\"key\":\"aw==\",\"value\":\"dg==\"}");
    HttpResponse<String> range = http.postJson(endpoint + "/v3/kv/range", "{\"key\":\"aw==\"}");

    assertThat(v2.statusCode()).isEqualTo(404);
    assertThat(v2.body()).isEqualTo("404 page not found\n");
    assertThat(v2.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    assertThat(range.body()).contains("\"value\":\"dg==\"");
  }

  @Test
  void leaderLookupIsRefusedWithoutTheV2MembersApi() {
    cluster = EtcdCluster.builder().name("v2off").v2Api(false).build().start();

    assertThatThrownBy(cluster::leader)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("v2 members API");
  }
}
