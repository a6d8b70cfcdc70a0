package dev.valkeyrie.etcd.launcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What an {@link EtcdCluster} was built with: the prefix of member names, the number of members to
 * start, the binary, extra flags, the start timeout and client TLS ({@code null} for plain http).
 */
record ClusterConfig(
    String name,
    int size,
    EtcdBinary binary,
    List<String> extraArgs,
    Duration startTimeout,
    @Nullable ClientTls clientTls) {

  ClusterConfig {
    extraArgs = List.copyOf(extraArgs);
  }

  /**
   * Member {@code <name>-<index>}: free client and peer ports, and a directory of that name below
   * {@code root}.
   */
  MemberSpec newMemberSpec(Path root, int index) {
    String memberName = name + "-" + index;
    return new MemberSpec(
        memberName,
        PortAllocator.freePort(),
        PortAllocator.freePort(),
        root.resolve(memberName),
        clientTls != null);
  }
}
