package dev.valkeyrie.etcdv3;

import static dev.valkeyrie.etcdv3.TestSupport.figure;
import static dev.valkeyrie.etcdv3.TestSupport.millisSince;
import static dev.valkeyrie.etcdv3.TestSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.etcd.launcher.EtcdMember;
import dev.valkeyrie.etcdv3.rpc.LeaseRevokeRequest;
import dev.valkeyrie.store.WriteOptions;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Leases and keep-alive against a real etcd: many kept keys share one keep-alive stream; a
 * lease is reported lost when etcd answers TTL 0 (revoked elsewhere) and, locally, when no
 * renewal succeeded within its TTL (a frozen member answers nothing); TTL keys expire.
 */
class LeaseKeepAliveTest {
  @RegisterExtension static final EtcdClusterExtension ETCD = EtcdClusterExtension.members(1);

  private static final Duration TTL = Duration.ofSeconds(2);
  private static final Duration MARGIN = Duration.ofSeconds(15);

  @AfterEach
  void memberRuns() {
    EtcdMember member = ETCD.cluster().member(0);
    if (member.isRunning()) {
      member.resume();
    }
  }

  @Test
  void manyKeptAliveKeysShareOneKeepAliveStreamAndOutliveTheirTtl() throws Exception {
    long streamsBefore = keepAliveStreamsStarted();
    try (EtcdV3Store store = EtcdV3Store.open(ETCD.endpoints(), null)) {
      WriteOptions kept = WriteOptions.builder().ttl(TTL).keepAlive(true).build();
      for (int i = 0; i < 20; i++) {
        store.put("kept/k" + i, utf8("registered"), kept);
      }
      store.put("kept/marker", utf8("not kept"), WriteOptions.builder().ttl(TTL).build());

      await().atMost(TTL.plus(MARGIN)).until(() -> !store.exists("kept/marker"));

      for (int i = 0; i < 20; i++) {
        assertThat(store.exists("kept/k" + i)).as("kept/k" + i).isTrue();
      }
      assertThat(store.context().leases().keptAlive()).isEqualTo(20);
      assertThat(keepAliveStreamsStarted() - streamsBefore).as("LeaseKeepAlive streams opened")
          .isEqualTo(1);
    }
  }

  @Test
  void aLeaseRevokedElsewhereIsReportedLost() throws Exception {
    try (EtcdV3Store store = EtcdV3Store.open(ETCD.endpoints(), null);
        TestSupport.Raw raw = new TestSupport.Raw(ETCD.endpoints().get(0))) {
      Leases leases = store.context().leases();
      long id = leases.newId();
      leases.grantNow(id, 10, Op.write("test", ""));
      CompletableFuture<Void> lost = new CompletableFuture<>();
      Leases.KeptLease kept = leases.keepAlive(id, 10, () -> lost.complete(null));

      raw.lease().leaseRevoke(LeaseRevokeRequest.newBuilder().setID(id).build());

      assertThat(lost).succeedsWithin(Duration.ofSeconds(15));
      assertThat(kept.isLost()).isTrue();
    }
  }

  @Test
  void aKeptLeaseIsGivenUpLocallyWhenItsMemberFreezes() throws Exception {
    try (EtcdV3Store store = EtcdV3Store.open(ETCD.endpoints(), null)) {
      Leases leases = store.context().leases();
      long id = leases.newId();
      leases.grantNow(id, 3, Op.write("test", ""));
      CompletableFuture<Void> lost = new CompletableFuture<>();
      leases.keepAlive(id, 3, () -> lost.complete(null));
      EtcdMember member = ETCD.cluster().member(0);

      long start = System.nanoTime();
      member.pause();
      try {
        assertThat(lost).succeedsWithin(Duration.ofSeconds(3).plus(MARGIN));
        figure("v3 kept lease (TTL 3 s) given up %d ms after its only member froze",
            millisSince(start));
      } finally {
        member.resume();
      }
    }
  }

  @Test
  void aKeyWithATtlExpiresAndItsLeaseWithIt() {
    try (EtcdV3Store store = EtcdV3Store.open(ETCD.endpoints(), null)) {
      store.put("expiring/k", utf8("v"), WriteOptions.builder().ttl(TTL).build());
      assertThat(store.exists("expiring/k")).isTrue();
      long start = System.nanoTime();
      await().atMost(TTL.plus(MARGIN)).until(() -> !store.exists("expiring/k"));
      figure("v3 key with TTL 2 s gone after %d ms", millisSince(start));
    }
  }

  @Test
  void aKeptAliveLeaseWhoseKeyAnotherStoreRewroteIsRevokedNotRenewedForever() throws Exception {
    try (EtcdV3Store owner = EtcdV3Store.open(ETCD.endpoints(), null);
        EtcdV3Store other = EtcdV3Store.open(ETCD.endpoints(), null);
        TestSupport.Raw raw = new TestSupport.Raw(ETCD.endpoints().get(0))) {
      owner.put("taken/k", utf8("mine"), WriteOptions.builder().ttl(TTL).keepAlive(true).build());
      long lease = raw.kv().range(dev.valkeyrie.etcdv3.rpc.RangeRequest.newBuilder()
          .setKey(com.google.protobuf.ByteString.copyFromUtf8("taken/k")).build())
          .getKvs(0).getLease();

      other.put("taken/k", utf8("theirs")); // detaches the key from the owner's lease

      await().atMost(Duration.ofSeconds(KeyValueOperations.checkPeriodSeconds(2)).plus(MARGIN))
          .until(() -> owner.keyValues().ownedLeases() == 0);
      assertThat(owner.context().leases().keptAlive()).isZero();
      await().atMost(Duration.ofSeconds(10)).until(() -> raw.lease().leaseTimeToLive(
          dev.valkeyrie.etcdv3.rpc.LeaseTimeToLiveRequest.newBuilder().setID(lease).build())
          .getTTL() == -1);
      assertThat(other.get("taken/k").valueAsString()).isEqualTo("theirs");
    }
  }

  /** etcd's own count of LeaseKeepAlive streams started, from its /metrics. */
  private static long keepAliveStreamsStarted() throws Exception {
    String metrics;
    try (InputStream in = URI.create(ETCD.endpoints().get(0) + "/metrics").toURL().openStream()) {
      metrics = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Matcher m = Pattern.compile("grpc_server_started_total\\{grpc_method=\"LeaseKeepAlive\""
        + "[^}]*\\} (\\d+)").matcher(metrics);
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }
}
