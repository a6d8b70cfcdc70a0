package dev.valkeyrie.etcd.launcher;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a member needs from its cluster to (re)start: binary, cluster membership at first start,
 * token, extra flags, client TLS ({@code null} for plain http), whether the v2 API is served, and
 * timeouts.
 */
record LaunchSettings(
    EtcdBinary binary,
    String initialCluster,
    String clusterToken,
    List<String> extraArgs,
    @Nullable ClientTls clientTls,
    boolean v2Api,
    Duration startTimeout,
    Duration stopTimeout) {

  LaunchSettings {
    extraArgs = List.copyOf(extraArgs);
  }

  /** The same, for a member that joins with a different {@code --initial-cluster}. */
  LaunchSettings withInitialCluster(String members) {
    return new LaunchSettings(
        binary, members, clusterToken, extraArgs, clientTls, v2Api, startTimeout, stopTimeout);
  }
}
