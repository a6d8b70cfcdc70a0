package dev.valkeyrie.migrate;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.etcdv2.EtcdV2Store;
import dev.valkeyrie.etcdv3.EtcdV3Store;
import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.Lease;
import dev.valkeyrie.store.LockOptions;
import dev.valkeyrie.store.Locker;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The copy, on the two key spaces of one etcd 3.4 member. */
class CopyTest {
  @RegisterExtension static final EtcdClusterExtension ETCD = EtcdClusterExtension.members(1);

  private static EtcdV2Store v2;
  private static EtcdV3Store v3;

  @BeforeAll
  static void open() {
    v2 = EtcdV2Store.open(ETCD.endpoints(), null);
    v3 = EtcdV3Store.open(ETCD.endpoints(), null);
  }

  @AfterAll
  static void close() {
    v2.close();
    v3.close();
  }

  private static Migration migration(String prefix) {
    return Migration.builder().source(v2).target(v3).prefix(prefix).build();
  }

  @Test
  void theV3BackendReadsEveryKeyBackUnderItsNameByteForByte() {
    String prefix = Trees.prefix("bytes");
    List<String> keys = Trees.writeMixed(v2, prefix);
    try (Migration migration = migration(prefix)) {
      migration.copy();
    }
    for (String key : keys) {
      assertThat(v3.get(key).value()).as(key).isEqualTo(v2.get(key).value());
    }
  }

  @Test
  void directoriesBecomeKeysWithTheEmptyValueAndEmptyOnesAreKept() {
    String prefix = Trees.prefix("dirs");
    Trees.writeMixed(v2, prefix);
    try (Migration migration = migration(prefix)) {
      migration.copy();
    }
    assertThat(v3.get(prefix + "/empty").value()).isEmpty();
    assertThat(v3.get(prefix + "/outer/inner-empty").value()).isEmpty();
    assertThat(v3.list(prefix + "/outer").stream().map(KVPair::key))
        .containsExactly(prefix + "/outer/inner-empty");
    assertThat(v3.list(prefix).stream().map(KVPair::key))
        .containsExactlyInAnyOrderElementsOf(v2.list(prefix).stream().map(KVPair::key).toList());
  }

  @Test
  void ttlKeysGoOnLeasesWithTheirRemainingTtl() {
    String prefix = Trees.prefix("ttl");
    v2.put(prefix + "/short", "bye".getBytes(UTF_8), Trees.ttl(Duration.ofSeconds(3)));
    v2.put(prefix + "/long", "stay".getBytes(UTF_8), Trees.ttl(Duration.ofMinutes(10)));
    v2.put(prefix + "/none", "forever".getBytes(UTF_8), null);
    try (Migration migration = migration(prefix)) {
      migration.copy();
      assertThat(migration.verify().differences()).isEmpty();
    }
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !v3.exists(prefix + "/short"));
    assertThat(v3.exists(prefix + "/long")).isTrue();
    assertThat(v3.exists(prefix + "/none")).isTrue();
  }

  @Test
  void lockSideKeysAreNotCopied() throws Exception {
    String prefix = Trees.prefix("locks");
    v2.put(prefix + "/job", "x".getBytes(UTF_8), null);
    Locker locker =
        v2.newLock(prefix + "/job", LockOptions.builder().ttl(Duration.ofSeconds(30)).build());
    Lease held = locker.lock();
    try (Migration migration = migration(prefix)) {
      CopyResult result = migration.copy();
      assertThat(result.plan().puts()).isEqualTo(2); // the prefix directory and the key
      assertThat(v3.list(prefix).stream().map(KVPair::key)).containsExactly(prefix + "/job");
      assertThat(migration.verify().differences()).isEmpty();
    } finally {
      held.close();
    }
  }

  @Test
  void refusesATargetHoldingKeysItDidNotWriteAndWritesNothing() {
    String prefix = Trees.prefix("foreign");
    v2.put(prefix + "/a", "from v2".getBytes(UTF_8), null);
    v3.put(prefix + "/b", "already in v3".getBytes(UTF_8), null);
    try (Migration migration = migration(prefix)) {
      assertThatThrownBy(migration::copy)
          .isInstanceOf(TargetNotEmptyException.class)
          .hasMessageContaining(prefix + "/b");
      assertThat(v3.exists(prefix + "/a")).isFalse();
      assertThat(v3.exists(migration.stateKey())).isFalse();
    }
  }

  @Test
  void mergeOverwritesWhatV2HasAndKeepsTheOtherForeignKeys() {
    String prefix = Trees.prefix("merge");
    v2.put(prefix + "/a", "from v2".getBytes(UTF_8), null);
    v3.put(prefix + "/a", "old v3".getBytes(UTF_8), null);
    v3.put(prefix + "/b", "v3 only".getBytes(UTF_8), null);
    try (Migration migration =
        Migration.builder().source(v2).target(v3).prefix(prefix).merge(true).build()) {
      migration.copy();
      assertThat(v3.get(prefix + "/a").valueAsString()).isEqualTo("from v2");
      assertThat(v3.get(prefix + "/b").valueAsString()).isEqualTo("v3 only");
      assertThat(migration.verify().differences())
          .extracting(Difference::key, Difference::kind)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(prefix + "/b", Difference.Kind.EXTRA_IN_TARGET));
    }
  }

  @Test
  void aCopyRunAgainBringsTheTargetBackInLineWithV2() {
    String prefix = Trees.prefix("repair");
    Trees.writeMixed(v2, prefix);
    try (Migration migration = migration(prefix)) {
      migration.copy();
      v2.put(prefix + "/config/greeting", "changed".getBytes(UTF_8), null);
      v2.deleteTree(prefix + "/values");
      v2.put(prefix + "/added/key", "new".getBytes(UTF_8), null);
      CopyResult repair = migration.copy();
      assertThat(repair.plan().deletes()).isEqualTo(5); // the directory and its 4 keys
      assertThat(repair.plan().puts()).isEqualTo(3); // changed, added/ and added/key
      assertThat(migration.verify().differences()).isEmpty();
    }
  }

  @Test
  void neverWritesOutsideTheTargetRange() {
    String prefix = Trees.prefix("range");
    v2.put(prefix + "/in", "1".getBytes(UTF_8), null);
    v3.put(prefix + "x/sibling", "keep".getBytes(UTF_8), null);
    v3.put(prefix + "-other", "keep".getBytes(UTF_8), null);
    try (Migration migration = migration(prefix)) {
      migration.copy();
      v2.delete(prefix + "/in");
      migration.copy();
    }
    assertThat(v3.get(prefix + "x/sibling").valueAsString()).isEqualTo("keep");
    assertThat(v3.get(prefix + "-other").valueAsString()).isEqualTo("keep");
    assertThat(v3.exists(prefix + "/in")).isFalse();
  }

  @Test
  void dryRunCountsWhatACopyWouldWriteAndWritesNothing() {
    String prefix = Trees.prefix("dry");
    Trees.writeMixed(v2, prefix);
    try (Migration migration = migration(prefix)) {
      MigrationPlan plan = migration.dryRun();
      assertThat(v3.exists(prefix)).isFalse();
      assertThat(v3.exists(migration.stateKey())).isFalse();
      CopyResult copy = migration.copy();
      assertThat(plan.puts()).isEqualTo(copy.plan().puts()).isEqualTo(plan.sourceKeys());
      assertThat(plan.ttlKeys()).isEqualTo(2);
      assertThat(plan.bytes()).isGreaterThan(512 * 1024);
    }
  }

  @Test
  void verifyReportsEachDifferenceAndWritesNothing() {
    String prefix = Trees.prefix("verify");
    Trees.writeMixed(v2, prefix);
    try (Migration migration = migration(prefix)) {
      migration.copy();
      v3.put(prefix + "/config/greeting", "tampered".getBytes(UTF_8), null);
      v3.delete(prefix + "/values/utf8");
      v3.put(prefix + "/extra", "v3 only".getBytes(UTF_8), null);
      v3.put(prefix + "/ttl/session-1", "alive".getBytes(UTF_8), null);
      long revision = v3.get(prefix + "/extra").lastIndex();
      Verification verification = migration.verify();
      assertThat(verification.matches()).isFalse();
      assertThat(verification.differences())
          .extracting(Difference::key, Difference::kind)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(
                  prefix + "/config/greeting", Difference.Kind.VALUE_DIFFERS),
              org.assertj.core.groups.Tuple.tuple(
                  prefix + "/extra", Difference.Kind.EXTRA_IN_TARGET),
              org.assertj.core.groups.Tuple.tuple(
                  prefix + "/ttl/session-1", Difference.Kind.TTL_DIFFERS),
              org.assertj.core.groups.Tuple.tuple(
                  prefix + "/values/utf8", Difference.Kind.MISSING_IN_TARGET));
      assertThat(v3.get(prefix + "/extra").lastIndex()).isEqualTo(revision);
    }
  }
}
