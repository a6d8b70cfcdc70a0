package dev.valkeyrie.examples;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.valkeyrie.etcd.launcher.EtcdCluster;
import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.KeyExistsException;
import dev.valkeyrie.store.KeyModifiedException;
import dev.valkeyrie.store.KeyTypeException;
import dev.valkeyrie.store.Lease;
import dev.valkeyrie.store.LockOptions;
import dev.valkeyrie.store.Locker;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.store.Valkeyrie;
import dev.valkeyrie.store.Watch;
import dev.valkeyrie.store.WriteOptions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A short tour of the Store API against a throwaway local etcd that this program starts and stops
 * itself. Run it with {@code bin/quickstart}.
 */
public final class QuickStart {

  private QuickStart() {}

  public static void main(String[] args) throws Exception {
    try (EtcdCluster etcd = EtcdCluster.builder().name("quickstart").build().start()) {
      say("started a throwaway etcd at " + etcd.clientEndpoints());
      try (Store store = Valkeyrie.newStore("etcdv2", etcd.clientEndpoints(), null)) {
        tour(store);
      }
    }
    say("store closed, etcd stopped, its data directory deleted: nothing left behind");
  }

  private static void tour(Store store) throws InterruptedException {
    step("put and get");
    store.put("app/config/greeting", "hello, etcd".getBytes(UTF_8));
    KVPair greeting = store.get("app/config/greeting");
    say(
        "get app/config/greeting -> \""
            + greeting.valueAsString()
            + "\" at index "
            + greeting.lastIndex());

    step(
        "directories: writing app/services/web/1 made app/services and app/services/web directories");
    store.put("app/services/web/1", "10.0.0.1:8080".getBytes(UTF_8));
    store.put("app/services/web/2", "10.0.0.2:8080".getBytes(UTF_8));
    say("list app/services -> " + keys(store.list("app/services")));

    step("etcd v2 pitfall: a directory cannot hold a value");
    try {
      store.put("app/services/web", "oops".getBytes(UTF_8));
    } catch (KeyTypeException e) {
      say("put app/services/web refused: " + e.getMessage());
    }

    step("atomic operations");
    KVPair counter = store.atomicPut("app/counter", "1".getBytes(UTF_8), null, null);
    say("created app/counter = 1 at index " + counter.lastIndex());
    try {
      store.atomicPut("app/counter", "1".getBytes(UTF_8), null, null);
    } catch (KeyExistsException e) {
      say("creating it again fails: KeyExistsException");
    }
    KVPair two = store.atomicPut("app/counter", "2".getBytes(UTF_8), counter, null);
    say("compare-and-swap 1 -> 2 succeeded, new index " + two.lastIndex());
    try {
      store.atomicPut("app/counter", "3".getBytes(UTF_8), counter, null);
    } catch (KeyModifiedException e) {
      say("compare-and-swap from the stale pair fails: KeyModifiedException");
    }

    step("a watch receives an update");
    try (Watch<KVPair> watch = store.watch("app/config/greeting")) {
      say("first update is the current value: \"" + watch.take().valueAsString() + "\"");
      store.put("app/config/greeting", "hello again".getBytes(UTF_8));
      KVPair update = watch.poll(Duration.ofSeconds(10));
      say(
          "after a put the watch delivers: \""
              + (update == null ? "(nothing)" : update.valueAsString())
              + "\"");
    }

    step("two lock holders take turns");
    Locker first =
        store.newLock(
            "app/leader",
            LockOptions.builder()
                .value("first".getBytes(UTF_8))
                .ttl(Duration.ofSeconds(5))
                .build());
    Locker second =
        store.newLock(
            "app/leader",
            LockOptions.builder()
                .value("second".getBytes(UTF_8))
                .ttl(Duration.ofSeconds(5))
                .build());
    Lease lease = first.lock();
    say(
        "first holds the lock (fencing token "
            + lease.fencingToken()
            + "), app/leader = \""
            + store.get("app/leader").valueAsString()
            + "\"");
    say(
        "second tries for 200 ms: "
            + (second.tryLock(Duration.ofMillis(200)).isPresent()
                ? "acquired (unexpected)"
                : "not acquired, as expected"));
    first.unlock();
    Optional<Lease> turn = second.tryLock(Duration.ofSeconds(10));
    say(
        "after first unlocks, second acquires: "
            + turn.isPresent()
            + " (fencing token "
            + turn.map(Lease::fencingToken).orElse(-1L)
            + "), app/leader = \""
            + store.get("app/leader").valueAsString()
            + "\"");
    second.unlock();

    step("keys with a time to live");
    store.put(
        "app/session",
        "temporary".getBytes(UTF_8),
        WriteOptions.builder().ttl(Duration.ofSeconds(1)).build());
    say("app/session exists: " + store.exists("app/session"));
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    try (Watch<KVPair> expiry = store.watch("app/session")) {
      expiry.take();
      KVPair gone = expiry.poll(Duration.ofNanos(deadline - System.nanoTime()));
      say(
          "the watch saw it expire (empty value at index "
              + (gone == null ? "?" : gone.lastIndex())
              + "); exists: "
              + store.exists("app/session"));
    }

    step("deleteTree");
    store.deleteTree("app");
    say("app exists after deleteTree: " + store.exists("app"));
  }

  private static String keys(List<KVPair> pairs) {
    return pairs.stream()
        .map(p -> p.key() + (p.value().length == 0 ? "/" : "=" + p.valueAsString()))
        .collect(Collectors.joining(", ", "[", "]"));
  }

  private static void step(String title) {
    System.out.println();
    System.out.println("== " + title);
  }

  private static void say(String line) {
    System.out.println("   " + line);
  }
}
