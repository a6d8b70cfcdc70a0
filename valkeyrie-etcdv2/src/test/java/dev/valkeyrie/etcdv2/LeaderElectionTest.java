package dev.valkeyrie.etcdv2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.store.Lease;
import dev.valkeyrie.store.LockNotHeldException;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.store.recipes.LeaderElection;
import dev.valkeyrie.store.recipes.LeadershipListener;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The leader election recipe on the etcd v2 lock. */
class LeaderElectionTest {
  @RegisterExtension static final EtcdClusterExtension ETCD = EtcdClusterExtension.members(1);
  private static final Duration TTL = Duration.ofSeconds(2);
  private static final Duration WAIT = Duration.ofSeconds(30);

  private Store storeA;
  private Store storeB;
  private String election;

  @BeforeEach
  void open(TestInfo test) {
    storeA = EtcdV2Store.open(ETCD.endpoints(), null);
    storeB = EtcdV2Store.open(ETCD.endpoints(), null);
    election = "elections/" + test.getTestMethod().orElseThrow().getName();
  }

  @AfterEach
  void close() {
    storeA.close();
    storeB.close();
  }

  private LeaderElection candidate(Store store, String name) {
    return LeaderElection.builder(store, election).candidate(name).ttl(TTL).build();
  }

  @Test
  void firstCandidateLeadsAndEveryoneSeesItsName() throws InterruptedException {
    try (LeaderElection a = candidate(storeA, "a");
        LeaderElection b = candidate(storeB, "b")) {
      a.campaign();

      assertThat(a.isLeader()).isTrue();
      assertThat(b.isLeader()).isFalse();
      assertThat(b.leader()).contains("a");
      assertThat(b.campaign(Duration.ofMillis(500))).isEmpty();
    }
  }

  @Test
  void resigningHandsTheLeadershipToTheNextCandidate() throws InterruptedException {
    try (LeaderElection a = candidate(storeA, "a");
        LeaderElection b = candidate(storeB, "b")) {
      Lease first = a.campaign();
      a.resign();

      Optional<Lease> second = b.campaign(WAIT);
      assertThat(second).isPresent();
      assertThat(second.get().fencingToken()).isGreaterThan(first.fencingToken());
      assertThat(a.leader()).contains("b");
      assertThatThrownBy(a::resign).isInstanceOf(LockNotHeldException.class);
    }
  }

  @Test
  void nobodyLeadsAfterTheLeaderResignsAlone() throws InterruptedException {
    try (LeaderElection a = candidate(storeA, "a")) {
      a.campaign();
      a.resign();

      assertThat(a.leader()).isEmpty();
      assertThat(a.isLeader()).isFalse();
    }
  }

  @Test
  void listenersHearElectionRevocationAndLeaderChanges() throws InterruptedException {
    List<String> heard = new CopyOnWriteArrayList<>();
    try (LeaderElection a = candidate(storeA, "a");
        LeaderElection b = candidate(storeB, "b")) {
      a.addListener(
          new LeadershipListener() {
            @Override
            public void elected(Lease lease) {
              heard.add("a elected");
            }

            @Override
            public void revoked() {
              heard.add("a revoked");
            }
          },
          Runnable::run);
      b.addListener(
          new LeadershipListener() {
            @Override
            public void leaderChanged(Optional<String> leader) {
              heard.add("leader " + leader.orElse("none"));
            }
          },
          Runnable::run);

      a.campaign();
      await().atMost(WAIT).until(() -> heard.contains("leader a"));
      a.resign();
      await().atMost(WAIT).until(() -> heard.contains("leader none"));

      assertThat(heard).containsSubsequence("a elected", "a revoked");
      assertThat(heard).containsSubsequence("leader a", "leader none");
    }
  }

  @Test
  void leaderWhoseStoreClosesIsRevokedAndSucceeded() throws InterruptedException {
    List<String> heard = new CopyOnWriteArrayList<>();
    LeaderElection a = candidate(storeA, "a");
    a.addListener(
        new LeadershipListener() {
          @Override
          public void revoked() {
            heard.add("revoked");
          }
        },
        Runnable::run);
    a.campaign();

    storeA.close();

    await().atMost(WAIT).until(() -> heard.contains("revoked"));
    try (LeaderElection b = candidate(storeB, "b")) {
      assertThat(b.campaign(WAIT)).isPresent();
      assertThat(b.leader()).contains("b");
    }
  }
}
