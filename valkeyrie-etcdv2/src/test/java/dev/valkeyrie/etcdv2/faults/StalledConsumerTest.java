package dev.valkeyrie.etcdv2.faults;

import static dev.valkeyrie.etcdv2.TestSupport.figure;
import static dev.valkeyrie.etcdv2.TestSupport.millisSince;
import static dev.valkeyrie.etcdv2.TestSupport.utf8;
import static dev.valkeyrie.etcdv2.faults.FaultSupport.assertStrictlyIncreasingIndexes;
import static dev.valkeyrie.etcdv2.faults.FaultSupport.pollUntil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.etcd.launcher.EtcdCluster;
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
 * A consumer that stops taking from its watch while thousands of changes are made: the watch drops
 * the oldest updates instead of blocking or failing, and ends on the latest state.
 */
class StalledConsumerTest {
  @RegisterExtension
  static final EtcdClusterExtension ETCD =
      EtcdClusterExtension.of(EtcdCluster.builder().members(1).name("stalled"));

  private static final int CHANGES = 3_000;

  @Test
  void aKeyWatchWhoseConsumerStallsThroughThousandsOfChangesEndsOnTheLatestValue()
      throws Exception {
    String key = "stalled/key";
    try (Store store = EtcdV2Store.open(ETCD.endpoints(), null)) {
      store.put(key, utf8("v0"));
      try (Watch<KVPair> watch = store.watch(key)) {
        assertThat(watch.take().valueAsString()).isEqualTo("v0");

        long start = System.nanoTime();
        for (int i = 1; i <= CHANGES; i++) { // nobody takes from the watch meanwhile
          store.put(key, utf8("v" + i));
        }
        figure("stalled consumer: %d writes to one key in %d ms", CHANGES, millisSince(start));

        KVPair latest = store.get(key);
        assertThat(latest.valueAsString()).isEqualTo("v" + CHANGES);
        List<KVPair> taken = new ArrayList<>();
        pollUntil(watch, latest::equals, Duration.ofSeconds(30), taken);
        assertStrictlyIncreasingIndexes(taken);
        figure(
            "stalled consumer: %d updates left for the consumer of %d changes",
            taken.size(), CHANGES);
        assertThat(watch.poll(Duration.ofMillis(200))).as("an update after the latest").isNull();

        assertThat(watch.isClosed()).isFalse();
        store.put(key, utf8("later"));
        assertThat(watch.poll(Duration.ofSeconds(15))).isEqualTo(store.get(key));
      }
    }
  }

  @Test
  void aTreeWatchWhoseConsumerStallsThroughThousandsOfChangesEndsOnTheLatestListing()
      throws Exception {
    String dir = "stalled/tree";
    try (Store store = EtcdV2Store.open(ETCD.endpoints(), null)) {
      store.put(dir + "/seed", utf8("0"));
      try (Watch<List<KVPair>> watch = store.watchTree(dir)) {
        assertThat(watch.take()).isEqualTo(store.list(dir));

        long start = System.nanoTime();
        ConcurrentRunner.run(
            3,
            Duration.ofSeconds(45),
            thread -> {
              for (int i = 1; i <= CHANGES / 3; i++) {
                store.put(dir + "/w" + thread + "/k" + (i % 40), utf8("v" + i));
              }
            });
        figure(
            "stalled consumer: %d writes below one directory in %d ms (3 writers)",
            CHANGES, millisSince(start));

        List<KVPair> latest = store.list(dir);
        List<List<KVPair>> taken = new ArrayList<>();
        pollUntil(watch, latest::equals, Duration.ofSeconds(30), taken);
        figure(
            "stalled consumer: %d tree snapshots left for the consumer of %d changes",
            taken.size(), CHANGES);

        assertThat(watch.isClosed()).isFalse();
        store.put(dir + "/later", utf8("later"));
        List<KVPair> later = store.list(dir);
        pollUntil(watch, later::equals, Duration.ofSeconds(15));
      }
    }
  }
}
