package dev.valkeyrie.etcdv3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.etcd.launcher.EtcdMember;
import dev.valkeyrie.testsuite.time.ManualClock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The keep-alive's timing on a manual clock (the store's own time is the test's; etcd answers in
 * real time): renewal at a third of the TTL, each answer moving the local deadline on, and a lease
 * given up at last success + TTL when its member stops answering, without waiting for real TTLs.
 */
class LeasesOnAManualClockTest {
  @RegisterExtension static final EtcdClusterExtension ETCD = EtcdClusterExtension.members(1);

  private static final long TTL_SECONDS = 3;

  @Test
  void renewalsMoveTheDeadlineOnAndASilentMemberLosesTheLeaseAtTheDeadline() throws Exception {
    ManualClock clock = new ManualClock();
    EtcdMember member = ETCD.cluster().member(0);
    try (EtcdV3Store store = EtcdV3Store.open(ETCD.endpoints(), null,
        new StoreTime(clock, clock), EtcdV3Store.Parts.standard())) {
      Leases leases = store.context().leases();
      long id = leases.newId();
      leases.grantNow(id, TTL_SECONDS, Op.write("test", ""));
      CompletableFuture<Void> lost = new CompletableFuture<>();
      leases.keepAlive(id, TTL_SECONDS, () -> lost.complete(null));
      long first = leases.deadlineOf(id);
      assertThat(first).isEqualTo(clock.read() + Duration.ofSeconds(TTL_SECONDS).toNanos());

      clock.advance(Duration.ofSeconds(1)); // a third of the TTL: the first renewal goes out
      await().atMost(Duration.ofSeconds(10)).until(() -> leases.deadlineOf(id) > first);
      long renewed = leases.deadlineOf(id);
      assertThat(renewed).isEqualTo(Duration.ofSeconds(1 + TTL_SECONDS).toNanos());

      member.pause();
      try {
        clock.advance(Duration.ofSeconds(2)); // renewals go unanswered
        assertThat(lost).isNotDone();
        clock.advance(Duration.ofSeconds(1).plusMillis(1)); // past last success + TTL
        assertThat(lost).succeedsWithin(Duration.ofSeconds(10));
        assertThat(leases.deadlineOf(id)).isEqualTo(-1);
      } finally {
        member.resume();
      }
    }
  }
}
