package dev.valkeyrie.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.etcd.launcher.EtcdCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * bin/valkeyrie against a real etcd started without the v2 API (etcd 3.4+'s default): the etcdv2
 * backend says so and points to --backend etcdv3, which then works.
 */
class V2ApiOffIT {

  @RegisterExtension
  static final EtcdClusterExtension ETCD =
      EtcdClusterExtension.of(EtcdCluster.builder().name("v2off").v2Api(false));

  @Test
  void theV2BackendSaysTheV2ApiIsOffAndSuggestsEtcdV3() {
    String endpoint = ETCD.endpoints().get(0);

    Cli.Result put = Cli.of("put", "k", "v", "--endpoints", endpoint).run();

    assertThat(put.exitCode()).as(put.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(put.stdout()).isEmpty();
    assertThat(put.stderrLines()).hasSize(1);
    assertThat(put.stderr())
        .startsWith("valkeyrie: put 'k': etcd at " + endpoint + " does not serve the v2 API")
        .contains("--enable-v2=true")
        .endsWith("; try --backend etcdv3\n")
        .doesNotContain("Exception", "\tat ");
  }

  @Test
  void theSameCommandsWorkWithBackendEtcdV3() {
    String endpoint = ETCD.endpoints().get(0);

    Cli.Result put = Cli.of("put", "k", "v", "--endpoints", endpoint, "--backend", "etcdv3").run();
    Cli.Result get = Cli.of("get", "k", "--endpoints", endpoint, "--backend", "etcdv3").run();

    assertThat(put.exitCode()).as(put.toString()).isZero();
    assertThat(get.stdout()).isEqualTo("v\n");
  }
}
