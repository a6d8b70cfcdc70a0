package dev.valkeyrie.etcd.launcher;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Brings up the initial members of an {@link EtcdCluster}: creates them with free ports, launches
 * them all at once and waits until every one is healthy and a write works (v2, or v3 when the v2
 * API is off). Tries again with new ports if a port turned out to be taken.
 */
final class ClusterStart {
  // SIGTERM grace for EtcdMember.stop(): a leader whose followers are down spends etcd's request
  // timeout (5 s + 2 election timeouts = 7 s by default) trying to hand over leadership.
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  /** The members of the successful attempt, and their settings (for members added later). */
  record StartedMembers(List<EtcdMember> members, LaunchSettings settings) {}

  private final ClusterConfig config;
  private final Path root;
  private final EtcdCluster cluster;

  ClusterStart(ClusterConfig config, Path root, EtcdCluster cluster) {
    this.config = config;
    this.root = root;
    this.cluster = cluster;
  }

  /**
   * Starts the members. Each attempt's members go to {@code publish} before they launch, so that
   * the cluster's close() and the shutdown hook can stop them should this fail half way.
   *
   * @throws EtcdStartException if a member exits or the cluster is not ready within the start
   *     timeout; the failed attempt's processes are stopped and their directories deleted
   */
  StartedMembers run(Consumer<List<EtcdMember>> publish) {
    for (int attempt = 1; ; attempt++) {
      StartedMembers created = createMembers();
      List<EtcdMember> members = created.members();
      publish.accept(members);
      Optional<String> failure = launchAndAwait(members);
      if (failure.isEmpty()) {
        return created;
      }
      boolean portTaken =
          members.stream().anyMatch(m -> PortAllocator.portTakenIn(m.launchedProcess().logFile()));
      MemberTermination.stopAll(cluster.http(), members);
      members.forEach(
          m ->
              Directories.deleteRecursively(
                  java.util.Objects.requireNonNull(m.dataDirectory().getParent())));
      if (!portTaken || attempt == PortAllocator.ATTEMPTS) {
        String note = portTaken ? " (ports were taken on all " + attempt + " attempts)" : "";
        throw new EtcdStartException(failure.get() + note);
      }
    }
  }

  private StartedMembers createMembers() {
    List<MemberSpec> specs = new ArrayList<>();
    for (int i = 0; i < config.size(); i++) {
      specs.add(config.newMemberSpec(root, i));
    }
    String initialCluster =
        specs.stream().map(MemberSpec::initialClusterEntry).collect(Collectors.joining(","));
    // Unique per attempt, so members of different clusters can never join each other.
    LaunchSettings launch =
        new LaunchSettings(
            config.binary(),
            initialCluster,
            config.name() + "-" + UUID.randomUUID(),
            config.extraArgs(),
            config.clientTls(),
            config.v2Api(),
            config.startTimeout(),
            STOP_TIMEOUT);
    return new StartedMembers(
        specs.stream().map(s -> new EtcdMember(s, launch, cluster, false)).toList(), launch);
  }

  /** Launches all members, then polls them; an empty result means ready. */
  private Optional<String> launchAndAwait(List<EtcdMember> all) {
    Duration startTimeout = config.startTimeout();
    Instant deadline = Instant.now().plus(startTimeout);
    all.forEach(EtcdMember::launch);
    Set<EtcdMember> pending = new LinkedHashSet<>(all);
    EtcdMember[] exited = new EtcdMember[1];
    boolean healthy =
        Poll.until(
            deadline,
            () -> {
              // Fail fast on an exited member: a taken port or a bad flag shows up here.
              for (EtcdMember m : all) {
                if (!m.launchedProcess().isAlive()) {
                  exited[0] = m;
                  return true;
                }
              }
              pending.removeIf(m -> m.isReady(deadline));
              return pending.isEmpty();
            });
    if (exited[0] != null) {
      return Optional.of(
          exited[0]
              .launchedProcess()
              .describe("etcd member " + exited[0].name() + " exited during start"));
    }
    if (!healthy) {
      return Optional.of(
          "etcd cluster "
              + config.name()
              + " was not healthy within "
              + startTimeout.toSeconds()
              + "s: "
              + describeAll(pending));
    }
    EtcdMember writer = all.get(0);
    boolean writable =
        Poll.until(
            deadline,
            () ->
                EtcdProbe.writeWorks(
                    cluster.http(),
                    writer.clientEndpoint(),
                    config.v2Api(),
                    Poll.remaining(deadline, EtcdProbe.REQUEST_TIMEOUT)));
    if (!writable) {
      return Optional.of(
          "etcd cluster "
              + config.name()
              + " is healthy but a "
              + (config.v2Api() ? "v2" : "v3")
              + " write through "
              + writer.name()
              + " failed within "
              + startTimeout.toSeconds()
              + (config.v2Api() ? "s (is --enable-v2 overridden?): " : "s: ")
              + describeAll(List.of(writer)));
    }
    return Optional.empty();
  }

  private static String describeAll(Iterable<EtcdMember> list) {
    StringBuilder out = new StringBuilder();
    for (EtcdMember m : list) {
      out.append(System.lineSeparator())
          .append(m.launchedProcess().describe("member " + m.name() + " not ready"));
    }
    return out.toString();
  }
}
