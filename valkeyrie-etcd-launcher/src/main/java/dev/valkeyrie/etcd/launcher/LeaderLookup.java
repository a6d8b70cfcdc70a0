package dev.valkeyrie.etcd.launcher;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Finds a cluster's live leader: asks the running, unpaused members ({@code GET
 * /v2/members/leader}) until one names a leader that is itself running and unpaused.
 */
final class LeaderLookup {
  private LeaderLookup() {}

  /**
   * Polls until {@code deadline}, so right after the leader was killed this finds its successor.
   *
   * @return the leader among {@code members}, or empty if none emerged in time
   */
  static Optional<EtcdMember> await(
      EtcdCluster cluster, List<EtcdMember> members, Instant deadline) {
    EtcdMember[] found = new EtcdMember[1];
    Poll.until(
        deadline,
        () -> {
          for (EtcdMember asked : members) {
            if (!asked.isAnswering()) {
              continue;
            }
            Optional<EtcdMember> leader =
                EtcdProbe.leaderName(
                        cluster.http(), asked.clientEndpoint(), EtcdProbe.REQUEST_TIMEOUT)
                    .flatMap(n -> members.stream().filter(m -> m.name().equals(n)).findFirst())
                    .filter(EtcdMember::isAnswering);
            if (leader.isPresent()) {
              found[0] = leader.get();
              return true;
            }
          }
          return false;
        });
    return Optional.ofNullable(found[0]);
  }
}
