package dev.valkeyrie.testing.etcd;

import java.time.Duration;
import java.util.List;

/**
 * What a member needs from its cluster to (re)start: binary, cluster membership at first start,
 * token, extra flags and timeouts.
 */
record LaunchSettings(
    EtcdBinary binary,
    String initialCluster,
    String clusterToken,
    List<String> extraArgs,
    Duration startTimeout,
    Duration stopTimeout) {

  LaunchSettings {
    extraArgs = List.copyOf(extraArgs);
  }
}
