package dev.valkeyrie.migrate;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.etcdv2.EtcdV2Store;
import dev.valkeyrie.etcdv3.EtcdV3Store;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The follow phase, on the two key spaces of one etcd 3.4 member. */
class FollowTest {
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

  private static byte[] utf8(String text) {
    return text.getBytes(UTF_8);
  }

  @Test
  void appliesWritesDeletesExpiriesAndRecursiveDeletes() throws Exception {
    String prefix = Trees.prefix("changes");
    Trees.writeMixed(v2, prefix);
    try (Migration migration = migration(prefix)) {
      migration.copy();
      try (Following following = Following.start(migration)) {
        v2.put(prefix + "/config/greeting", utf8("changed"), null);
        v2.put(prefix + "/new/deep/key", utf8("created with its directories"), null);
        v2.put(prefix + "/new-empty", null, Trees.dir());
        v2.delete(prefix + "/config/empty-value");
        v2.deleteTree(prefix + "/values");
        v2.put(prefix + "/expiring", utf8("soon gone"), Trees.ttl(Duration.ofSeconds(2)));
        v2.put(prefix + "/odd/with space", utf8("rewritten"), Trees.ttl(Duration.ofMinutes(5)));
        await().atMost(Duration.ofSeconds(30)).until(() -> !v2.exists(prefix + "/expiring"));
        following.awaitInStep();
        FollowResult result = following.stop();
        assertThat(result.changesApplied()).isGreaterThanOrEqualTo(8);
      }
    }
    assertThat(v3.get(prefix + "/new/deep/key").valueAsString())
        .isEqualTo("created with its directories");
    assertThat(v3.get(prefix + "/new/deep").value()).isEmpty();
    assertThat(v3.exists(prefix + "/values")).isFalse();
    assertThat(v3.exists(prefix + "/expiring")).isFalse();
  }

  /** A migration reporting the keys it leaves in v3 into {@code kept}. */
  private static Migration migration(String prefix, List<Difference> kept) {
    return Migration.builder()
        .source(v2)
        .target(v3)
        .prefix(prefix)
        .progress(
            new ProgressListener() {
              @Override
              public void onProgress(Progress progress) {}

              @Override
              public void onForeignKeyKept(Difference difference) {
                kept.add(difference);
              }
            })
        .build();
  }

  @Test
  void aRecursiveDeleteInV2LeavesKeysWrittenDirectlyInV3UnderTheDirectory() throws Exception {
    String prefix = Trees.prefix("foreign-tree");
    // more keys than one transaction takes, so the removal spans several
    for (int i = 0; i < 300; i++) {
      v2.put(prefix + "/dir/k" + i, utf8("copied " + i), null);
    }
    v2.put(prefix + "/other", utf8("stays"), null);
    List<Difference> kept = new CopyOnWriteArrayList<>();
    try (Migration migration = migration(prefix, kept)) {
      migration.copy();
      try (Following following = Following.start(migration)) {
        v3.put(prefix + "/dir/direct", utf8("written in v3"), null);
        v2.deleteTree(prefix + "/dir");
        await().atMost(Duration.ofSeconds(60)).until(() -> !kept.isEmpty());
        following.stop();
      }
      assertThat(kept)
          .extracting(Difference::key, Difference::kind)
          .containsExactly(
              org.assertj.core.api.Assertions.tuple(
                  prefix + "/dir/direct", Difference.Kind.EXTRA_IN_TARGET));
      // the migration's keys there, the directory's own included, are gone
      assertThat(migration.verify().differences())
          .extracting(Difference::key)
          .containsExactly(prefix + "/dir/direct");
    }
    assertThat(v3.get(prefix + "/dir/direct").valueAsString()).isEqualTo("written in v3");
    assertThat(v3.exists(prefix + "/dir/k0")).isFalse();
    assertThat(v3.exists(prefix + "/dir/k299")).isFalse();
    assertThat(v3.get(prefix + "/other").valueAsString()).isEqualTo("stays");
  }

  @Test
  void aDeleteInV2LeavesAKeyOverwrittenDirectlyInV3() throws Exception {
    String prefix = Trees.prefix("foreign-key");
    v2.put(prefix + "/k", utf8("copied"), null);
    List<Difference> kept = new CopyOnWriteArrayList<>();
    try (Migration migration = migration(prefix, kept)) {
      migration.copy();
      try (Following following = Following.start(migration)) {
        v3.put(prefix + "/k", utf8("overwritten in v3"), null);
        v2.delete(prefix + "/k");
        await().atMost(Duration.ofSeconds(60)).until(() -> !kept.isEmpty());
        following.stop();
      }
      assertThat(kept).extracting(Difference::key).containsExactly(prefix + "/k");
    }
    assertThat(v3.get(prefix + "/k").valueAsString()).isEqualTo("overwritten in v3");
  }

  @Test
  void keepsInStepWithWritersChangingDeletingAndExpiringKeysThroughCopyAndFollow()
      throws Exception {
    String prefix = Trees.prefix("writers");
    for (int i = 0; i < 2000; i++) {
      v2.put(prefix + "/d" + (i % 20) + "/k" + i, utf8("initial " + i), null);
    }
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicLong writes = new AtomicLong();
    CompletableFuture<Void> writer =
        CompletableFuture.runAsync(
            () -> {
              Random random = new Random(42);
              while (writing.get()) {
                String key = prefix + "/d" + random.nextInt(20) + "/k" + random.nextInt(2500);
                switch (random.nextInt(4)) {
                  case 0 -> v2.put(key, utf8("rewritten " + writes.get()), null);
                  case 1 -> v2.put(key, utf8("expiring"), Trees.ttl(Duration.ofSeconds(2)));
                  case 2 -> {
                    try {
                      v2.delete(key);
                    } catch (dev.valkeyrie.store.KeyNotFoundException absent) {
                      // another write removed it first
                    }
                  }
                  default -> v2.put(key, utf8("new " + writes.get()), null);
                }
                writes.incrementAndGet();
              }
            });
    try (Migration migration = migration(prefix)) {
      migration.copy();
      try (Following following = Following.start(migration)) {
        long afterCopy = writes.get();
        await().atMost(Duration.ofSeconds(60)).until(() -> writes.get() > afterCopy + 500);
        writing.set(false);
        writer.join();
        // The last TTL keys expire in v2 (and so in v3) within a few seconds.
        following.awaitInStep();
        following.stop();
      }
    } finally {
      writing.set(false);
    }
  }

  @Test
  void resumesWhereItStoppedAndAppliesNothingTwice() throws Exception {
    String prefix = Trees.prefix("resume");
    v2.put(prefix + "/a", utf8("1"), null);
    try (Migration migration = migration(prefix)) {
      migration.copy();
      try (Following following = Following.start(migration)) {
        v2.put(prefix + "/b", utf8("2"), null);
        following.awaitInStep();
        following.stop();
      }
      long revisionOfB = v3.get(prefix + "/b").lastIndex();
      v2.put(prefix + "/c", utf8("3"), null);
      v2.delete(prefix + "/a");
      try (Following again = Following.start(migration)) {
        again.awaitInStep();
        FollowResult result = again.stop();
        assertThat(result.changesApplied()).isEqualTo(2);
        assertThat(result.appliedIndex()).isEqualTo(v2.get(prefix + "/c").lastIndex() + 1);
      }
      assertThat(v3.get(prefix + "/b").lastIndex()).isEqualTo(revisionOfB);
    }
  }

  @Test
  void reconcilesWhenEtcdsEventWindowHasMovedPastIt() throws Exception {
    String prefix = Trees.prefix("window");
    v2.put(prefix + "/kept", utf8("0"), null);
    v2.put(prefix + "/deleted", utf8("0"), null);
    try (Migration migration = migration(prefix)) {
      migration.copy();
      for (int i = 0; i < 1100; i++) {
        v2.put(prefix + "/busy/" + (i % 50), utf8("write " + i), null);
      }
      v2.delete(prefix + "/deleted");
      try (Following following = Following.start(migration)) {
        following.awaitInStep();
        v2.put(prefix + "/after", utf8("followed after the re-read"), null);
        following.awaitInStep();
        FollowResult result = following.stop();
        assertThat(result.reconciliations()).isEqualTo(1);
        assertThat(result.changesApplied()).isGreaterThanOrEqualTo(1);
      }
    }
  }

  @Test
  void refusesToFollowBeforeACopyCompleted() {
    try (Migration migration = migration(Trees.prefix("nocopy"))) {
      assertThatThrownBy(migration::follow)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("copy()");
    }
  }

  @Test
  void aCopyCutOffMidwayIsFinishedByTheNextRun() {
    String prefix = Trees.prefix("cutoff");
    for (int i = 0; i < 3000; i++) {
      v2.put(prefix + "/k" + i, utf8("value " + i), null);
    }
    EtcdV3Store doomed = EtcdV3Store.open(ETCD.endpoints(), null);
    try (Migration migration =
        Migration.builder()
            .source(v2)
            .target(doomed)
            .prefix(prefix)
            .progress(
                p -> {
                  if (p.phase() == Progress.Phase.COPYING && p.done() > 500) {
                    doomed.close();
                  }
                })
            .build()) {
      assertThatThrownBy(migration::copy).isInstanceOf(dev.valkeyrie.store.StoreException.class);
    }
    try (Migration migration = migration(prefix)) {
      assertThat(migration.verify().matches()).isFalse();
      CopyResult result = migration.copy();
      assertThat(result.plan().unchanged()).isGreaterThan(500);
      assertThat(migration.verify().differences()).isEmpty();
    }
  }
}
