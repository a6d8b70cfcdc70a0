package dev.valkeyrie.etcd.launcher;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Grows a running {@link EtcdCluster} by one member: announces its peer URL ({@code POST
 * /v2/members}), launches it with {@code --initial-cluster-state existing}, and waits until it is
 * ready and every running member lists its client URL. A failed addition is undone (best effort),
 * and tried again with new ports if a port turned out to be taken.
 */
final class MemberAddition {
  private final ClusterConfig config;
  private final Path root;
  // The settings of the cluster's start; the new member differs only in --initial-cluster.
  private final LaunchSettings settings;
  private final EtcdCluster cluster;

  MemberAddition(ClusterConfig config, Path root, LaunchSettings settings, EtcdCluster cluster) {
    this.config = config;
    this.root = root;
    this.settings = settings;
    this.cluster = cluster;
  }

  /**
   * Adds a member to {@code current}. The grown list goes to {@code publish} before the member
   * launches, so that the cluster's close() and the shutdown hook see it; after a failure {@code
   * current} is published again.
   *
   * @return the new, running member
   * @throws EtcdStartException if etcd does not accept the member or it does not become ready
   * @throws IllegalStateException if no member of {@code current} runs
   */
  EtcdMember add(List<EtcdMember> current, Consumer<List<EtcdMember>> publish) {
    for (int attempt = 1; ; attempt++) {
      Instant deadline = Instant.now().plus(config.startTimeout());
      MemberSpec spec = config.newMemberSpec(root, current.size());
      List<String> askUrls =
          current.stream().filter(EtcdMember::isAnswering).map(EtcdMember::clientEndpoint).toList();
      if (askUrls.isEmpty()) {
        throw new IllegalStateException(
            "no member of "
                + config.name()
                + " is running: a member can only join a running cluster");
      }
      String id = MemberChanges.add(cluster.http(), askUrls, spec.peerUrl(), deadline);
      String initialCluster =
          current.stream()
              .map(m -> m.spec().initialClusterEntry())
              .collect(Collectors.joining(",", "", "," + spec.initialClusterEntry()));
      EtcdMember member =
          new EtcdMember(spec, settings.withInitialCluster(initialCluster), cluster, true);
      List<EtcdMember> grown = new ArrayList<>(current);
      grown.add(member);
      publish.accept(List.copyOf(grown));
      String failure;
      try {
        EtcdProcess p = member.launch();
        boolean ready =
            Poll.until(deadline, () -> !p.isAlive() || member.isReady(deadline))
                && p.isAlive()
                && Poll.until(
                    deadline,
                    () ->
                        askUrls.stream()
                            .allMatch(
                                url ->
                                    MemberChanges.published(
                                        cluster.http(), url, spec.clientUrl())));
        if (ready) {
          return member;
        }
        failure =
            p.describe(
                "added etcd member "
                    + spec.name()
                    + " did not become ready within "
                    + config.startTimeout().toSeconds()
                    + "s");
      } catch (EtcdStartException e) {
        // Ours always have a message.
        failure = Objects.requireNonNullElse(e.getMessage(), e.toString());
      }
      EtcdProcess launched = member.process();
      boolean portTaken = launched != null && PortAllocator.portTakenIn(launched.logFile());
      member.killForShutdown();
      MemberChanges.remove(cluster.http(), askUrls, id, Instant.now().plus(config.startTimeout()));
      publish.accept(current);
      Directories.deleteRecursively(spec.directory());
      if (!portTaken || attempt == PortAllocator.ATTEMPTS) {
        throw new EtcdStartException(failure);
      }
    }
  }
}
