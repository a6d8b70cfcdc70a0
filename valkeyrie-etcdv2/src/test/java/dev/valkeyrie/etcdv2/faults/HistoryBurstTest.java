package dev.valkeyrie.etcdv2.faults;

import static dev.valkeyrie.etcdv2.TestSupport.figure;
import static dev.valkeyrie.etcdv2.TestSupport.millisSince;
import static dev.valkeyrie.etcdv2.TestSupport.utf8;
import static dev.valkeyrie.etcdv2.faults.FaultSupport.assertStrictlyIncreasingIndexes;
import static dev.valkeyrie.etcdv2.faults.FaultSupport.etcdWatchAnswer;
import static dev.valkeyrie.etcdv2.faults.FaultSupport.pollUntil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.etcd.launcher.EtcdCluster;
import dev.valkeyrie.etcd.launcher.EtcdMember;
import dev.valkeyrie.etcdv2.EtcdV2Config;
import dev.valkeyrie.etcdv2.EtcdV2Store;
import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.store.Watch;
import dev.valkeyrie.testsuite.ConcurrentRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Watches on one member of three that is frozen while thousands of changes go through another
 * member: when it runs again, the watches' index has left etcd's 1,000-event history (etcd answers
 * 401 "event index cleared"), and they must resynchronise and end on the latest state.
 */
class HistoryBurstTest {
  @RegisterExtension
  static final EtcdClusterExtension ETCD =
      EtcdClusterExtension.of(EtcdCluster.builder().members(3).name("burst"));

  /** Several times etcd's history of 1,000 events. */
  private static final int CHANGES = 3_000;

  private static final int WRITERS = 4;

  @Test
  void keyAndTreeWatchesOnAMemberFrozenThroughABurstEndOnTheLatestState() throws Exception {
    EtcdCluster cluster = ETCD.cluster();
    EtcdMember watched = cluster.member(0);
    String key = "burst/watched/key";
    String dir = "burst/watched/dir";
    EtcdV2Config watching =
        EtcdV2Config.builder()
            .requestTimeout(Duration.ofSeconds(2))
            .watchIdleTimeout(Duration.ofSeconds(1))
            .build();
    try (Store observer = EtcdV2Store.open(List.of(watched.clientEndpoint()), watching);
        Store writer = EtcdV2Store.open(List.of(cluster.member(1).clientEndpoint()), null)) {
      writer.put(key, utf8("start"));
      writer.put(dir + "/c0", utf8("start"));
      try (Watch<KVPair> keyWatch = observer.watch(key);
          Watch<List<KVPair>> treeWatch = observer.watchTree(dir)) {
        KVPair first = keyWatch.take();
        assertThat(first.valueAsString()).isEqualTo("start");
        assertThat(treeWatch.take()).isEqualTo(writer.list(dir));

        long resumedAt;
        watched.pause();
        try {
          cluster.leader(); // a live leader among the other two, if member 0 led
          long burstStart = System.nanoTime();
          burst(writer, key, dir);
          figure(
              "burst: %d writes through one member of 3 in %d ms (%d writers)",
              CHANGES, millisSince(burstStart), WRITERS);
        } finally {
          watched.resume();
          resumedAt = System.nanoTime();
        }

        KVPair latest = writer.get(key);
        List<KVPair> keyUpdates = new ArrayList<>();
        pollUntil(keyWatch, latest::equals, Duration.ofSeconds(30), keyUpdates);
        long keyCaughtUp = millisSince(resumedAt);
        assertStrictlyIncreasingIndexes(keyUpdates);

        List<KVPair> listing = writer.list(dir);
        List<List<KVPair>> treeUpdates = new ArrayList<>();
        pollUntil(treeWatch, listing::equals, Duration.ofSeconds(30), treeUpdates);
        figure(
            "burst: after resume, key watch on the latest value in %d ms (%d updates taken"
                + " for %d changes of the key), tree watch equal to list() in %d ms",
            keyCaughtUp, keyUpdates.size(), CHANGES / WRITERS / 2, millisSince(resumedAt));

        // The burst did push the watches' starting point out of member 0's history: a watch
        // from there is answered with 401 "event index cleared", so they had to resynchronise.
        assertThat(etcdWatchAnswer(watched.clientEndpoint(), key, first.lastIndex() + 1))
            .as("etcd's answer to a watch of the key from before the burst")
            .isEqualTo(401);
        assertThat(etcdWatchAnswer(watched.clientEndpoint(), dir, first.lastIndex() + 1))
            .as("etcd's answer to a watch of the directory from before the burst")
            .isEqualTo(401);

        // The watches go on after the resynchronisation.
        assertThat(keyWatch.isClosed()).isFalse();
        assertThat(treeWatch.isClosed()).isFalse();
        writer.put(key, utf8("after"));
        writer.put(dir + "/after", utf8("after"));
        KVPair after = writer.get(key);
        pollUntil(keyWatch, after::equals, Duration.ofSeconds(15));
        List<KVPair> afterListing = writer.list(dir);
        pollUntil(treeWatch, afterListing::equals, Duration.ofSeconds(15));
      }
    }
  }

  /**
   * {@link #CHANGES} writes from {@link #WRITERS} threads: writer 0 alternates between the watched
   * key and other keys, writer 1 between children of the watched directory (updates, creations and
   * deletions) and other keys, the rest write other keys only.
   */
  private static void burst(Store writer, String key, String dir) throws InterruptedException {
    int perWriter = CHANGES / WRITERS;
    ConcurrentRunner.run(
        WRITERS,
        Duration.ofSeconds(45),
        thread -> {
          java.util.TreeSet<String> children = new java.util.TreeSet<>(List.of(dir + "/c0"));
          for (int i = 1; i <= perWriter; i++) {
            String noise = "burst/noise/w" + thread + "/n" + (i % 100);
            if (i % 2 == 1) {
              writer.put(noise, utf8("n" + i));
            } else if (thread == 0) {
              writer.put(key, utf8("v" + i));
            } else if (thread == 1 && i % 10 == 0 && children.size() > 5) {
              writer.delete(children.pollFirst());
            } else if (thread == 1) {
              String child = dir + "/c" + (i % 53);
              writer.put(child, utf8("v" + i));
              children.add(child);
            } else {
              writer.put(noise + "x", utf8("n" + i));
            }
          }
        });
  }
}
