package dev.valkeyrie.etcdv3;

import static dev.valkeyrie.etcdv3.LockTestSupport.lockKeys;
import static dev.valkeyrie.etcdv3.TestSupport.onThread;
import static dev.valkeyrie.etcdv3.TestSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.etcd.launcher.EtcdCluster;
import dev.valkeyrie.etcdv3.LockTestSupport.Opened;
import dev.valkeyrie.etcdv3.rpc.CompactionRequest;
import dev.valkeyrie.etcdv3.rpc.KVGrpc;
import dev.valkeyrie.etcdv3.rpc.RangeRequest;
import dev.valkeyrie.store.Lease;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A waiter's watch on its predecessor must resume after its stream broke, from a revision that etcd
 * has compacted meanwhile (pitfall 20): it reads the predecessor instead, finds it still there,
 * watches again from the read's revision, and acquires once the holder unlocks.
 */
class MutexCompactionTest {
  @RegisterExtension
  static final EtcdClusterExtension ETCD =
      EtcdClusterExtension.of(EtcdCluster.builder().members(1).name("v3-lock-compaction"));

  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void aWaiterWhoseWatchResumesPastACompactionStillAcquiresWhenTheHolderUnlocks() throws Exception {
    String key = "compaction/lock";
    try (Opened holding = LockTestSupport.open(ETCD.endpoints(), EtcdV3Config.defaults());
        Opened waiting = LockTestSupport.open(ETCD.endpoints(), EtcdV3Config.defaults())) {
      Lease held = holding.store().newLock(key, null).lock();
      CompletableFuture<Lease> waiter =
          onThread("waiter", () -> waiting.store().newLock(key, null).lock());
      await()
          .atMost(WAIT)
          .until(
              () ->
                  lockKeys(holding.store(), key).size() == 2
                      && waiting.locks().watches().watching() == 1);
      for (int i = 0; i < 5; i++) {
        holding.store().put("compaction/filler", utf8("revision " + i));
      }
      long revision =
          holding
              .store()
              .context()
              .calls()
              .call(
                  KVGrpc.getRangeMethod(),
                  RangeRequest.newBuilder().setKey(Key.of("compaction/filler").bytes()).build(),
                  Op.read("test", ""))
              .getHeader()
              .getRevision();
      holding
          .store()
          .context()
          .calls()
          .call(
              KVGrpc.getCompactMethod(),
              CompactionRequest.newBuilder().setRevision(revision).setPhysical(true).build(),
              Op.write("test", ""));

      ETCD.cluster().member(0).kill();
      ETCD.cluster().member(0).start();
      await("the waiter's watch read its predecessor after the compaction")
          .atMost(WAIT)
          .until(
              () ->
                  waiting.locks().watches().rereads() >= 1
                      && waiting.locks().watches().watching() == 1);
      assertThat(waiter).isNotDone();

      held.close();

      Lease lease = waiter.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(lease.fencingToken()).isGreaterThan(held.fencingToken());
      lease.close();
    }
  }
}
