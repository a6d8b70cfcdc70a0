package dev.valkeyrie.etcd.launcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What an {@link EtcdCluster} was built with: the prefix of member names, the number of members to
 * start, the binary, extra flags, the start timeout, client TLS ({@code null} for plain http) and
 * whether members serve the v2 API.
 */
record ClusterConfig(
    String name,
    int size,
    EtcdBinary binary,
    List<String> extraArgs,
    Duration startTimeout,
    @Nullable ClientTls clientTls,
    boolean v2Api) {

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
