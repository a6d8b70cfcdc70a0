package dev.valkeyrie.etcd.launcher;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Ends the processes of a cluster's members: in order and with a short grace when the cluster is
 * closed or a start attempt is given up, by SIGKILL from the JVM shutdown hook.
 */
final class MemberTermination {
  // SIGTERM grace in close(): etcd normally exits within milliseconds, and the data is deleted
  // right after, so there is no point waiting out a leadership transfer to members already gone.
  private static final Duration CLOSE_GRACE = Duration.ofSeconds(1);
  // Only to order the shutdown; a slow answer just means stopping all members at once.
  private static final Duration LEADER_QUERY_TIMEOUT = Duration.ofMillis(500);

  private MemberTermination() {}

  /**
   * Stops the followers (in parallel), then the leader. Were the leader stopped together with its
   * followers, etcd 3.4 would try to hand leadership to a follower that is going away; stopped last
   * it usually sees no peer left and exits at once (though not always, hence the short grace).
   */
  static void stopAll(LoopbackHttp http, List<EtcdMember> list) {
    Optional<String> leaderName =
        list.stream()
            .filter(EtcdMember::isAnswering)
            .findFirst()
            .flatMap(m -> EtcdProbe.leaderName(http, m.clientEndpoint(), LEADER_QUERY_TIMEOUT));
    List<EtcdMember> followers = new ArrayList<>();
    List<EtcdMember> leaders = new ArrayList<>();
    for (EtcdMember m : list) {
      (leaderName.filter(m.name()::equals).isPresent() ? leaders : followers).add(m);
    }
    terminateAndAwait(followers);
    terminateAndAwait(leaders);
  }

  /** For the shutdown hook: no locks, SIGKILL (the data is deleted anyway). */
  static void killAll(List<EtcdMember> list) {
    for (EtcdMember m : list) {
      try {
        m.killForShutdown();
      } catch (RuntimeException e) {
        // Keep going: delete what can be deleted.
      }
    }
  }

  /** SIGTERM to all first, then wait: members stop in parallel instead of one after another. */
  private static void terminateAndAwait(List<EtcdMember> list) {
    for (EtcdMember m : list) {
      EtcdProcess p = m.process();
      if (p != null) {
        p.requestTerminate();
      }
    }
    Instant deadline = Instant.now().plus(CLOSE_GRACE);
    for (EtcdMember m : list) {
      EtcdProcess p = m.process();
      if (p != null && !p.awaitExit(Poll.remaining(deadline, CLOSE_GRACE))) {
        p.killAndWait();
      }
    }
  }
}
