package dev.valkeyrie.etcd.launcher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Builds the command line of one etcd member. */
final class EtcdCommand {
  static final String STATE_NEW = "new";
  static final String STATE_EXISTING = "existing";

  private EtcdCommand() {}

  /**
   * @param initialCluster the {@code --initial-cluster} value; ignored by etcd once the data
   *     directory holds a WAL, so restarts may pass the original value
   * @param clientTls {@code null} for plain http; else its flags are added
   * @param v2Api whether to serve the v2 API ({@code --enable-v2}) beside v3
   * @param extraArgs appended last: etcd (Go's flag package) keeps the last value of a repeated
   *     flag, so callers can override anything set here
   */
  static List<String> build(
      Path binary,
      MemberSpec spec,
      String initialCluster,
      String clusterState,
      String clusterToken,
      @Nullable ClientTls clientTls,
      boolean v2Api,
      List<String> extraArgs) {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    add(command, "--name", spec.name());
    add(command, "--data-dir", spec.dataDir().toString());
    add(command, "--enable-v2", Boolean.toString(v2Api));
    add(command, "--listen-client-urls", spec.clientUrl());
    add(command, "--advertise-client-urls", spec.clientUrl());
    add(command, "--listen-peer-urls", spec.peerUrl());
    add(command, "--initial-advertise-peer-urls", spec.peerUrl());
    add(command, "--initial-cluster", initialCluster);
    add(command, "--initial-cluster-state", clusterState);
    add(command, "--initial-cluster-token", clusterToken);
    // zap to stderr (which goes to the member's log file): with the default output etcd would log
    // to journald when it detects systemd. Warn level keeps the log short, so the tail quoted in a
    // start failure is mostly the relevant errors.
    add(command, "--logger", "zap");
    add(command, "--log-outputs", "stderr");
    add(command, "--log-level", "warn");
    if (clientTls != null) {
      command.addAll(clientTls.etcdFlags());
    }
    // Heartbeat and election timeouts stay at etcd's defaults (100ms/1000ms), which are what
    // clients see in production and tolerate a loaded machine.
    command.addAll(extraArgs);
    return List.copyOf(command);
  }

  // Always --flag=value: Go's flag package reads "--enable-v2 true" as a bare boolean flag
  // followed by a stray argument.
  private static void add(List<String> command, String flag, String value) {
    command.add(flag + "=" + value);
  }
}
