package dev.valkeyrie.etcdv2.faults;

import static dev.valkeyrie.etcdv2.TestSupport.onThread;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.Lease;
import dev.valkeyrie.store.LockOptions;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.store.Watch;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the fault tests share: waiting on watches, reading etcd's own counters, printing figures.
 */
final class FaultSupport {
  private static final Pattern ERROR_CODE = Pattern.compile("\"errorCode\"\\s*:\\s*(\\d+)");

  private FaultSupport() {}

  /**
   * Takes updates until one matches {@code wanted}, within {@code timeout} in all; every update
   * taken (the match last) is appended to {@code seen}.
   *
   * @throws AssertionError if no matching update came in time
   */
  static <T> T pollUntil(
      Watch<T> watch, Predicate<? super T> wanted, Duration timeout, List<T> seen)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    T last = null;
    while (true) {
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        throw new AssertionError(
            "no wanted update from "
                + watch
                + " within "
                + timeout
                + "; "
                + seen.size()
                + " update(s) seen, the last: "
                + describe(last));
      }
      T update = watch.poll(Duration.ofNanos(remaining));
      if (update == null) {
        continue;
      }
      seen.add(update);
      last = update;
      if (wanted.test(update)) {
        return update;
      }
    }
  }

  /** {@link #pollUntil} without keeping what was seen. */
  static <T> T pollUntil(Watch<T> watch, Predicate<? super T> wanted, Duration timeout)
      throws InterruptedException {
    return pollUntil(watch, wanted, timeout, new ArrayList<>());
  }

  /**
   * Takes exactly {@code count} updates, failing if they do not all come within {@code timeout}.
   */
  static <T> List<T> take(Watch<T> watch, int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<T> taken = new ArrayList<>();
    while (taken.size() < count) {
      long remaining = deadline - System.nanoTime();
      T update = remaining > 0 ? watch.poll(Duration.ofNanos(remaining)) : null;
      if (update == null && System.nanoTime() >= deadline) {
        throw new AssertionError(
            "only "
                + taken.size()
                + " of "
                + count
                + " updates from "
                + watch
                + " within "
                + timeout
                + ": "
                + describe(taken));
      }
      if (update != null) {
        taken.add(update);
      }
    }
    return taken;
  }

  /** The values of the pairs, as text. */
  static List<String> values(List<KVPair> pairs) {
    return pairs.stream().map(KVPair::valueAsString).toList();
  }

  /** Asserts that each pair's index is above the previous one's: in order, no repeats. */
  static void assertStrictlyIncreasingIndexes(List<KVPair> pairs) {
    for (int i = 1; i < pairs.size(); i++) {
      assertThat(pairs.get(i).lastIndex())
          .as(
              "index of update %d (%s) after update %d (%s)",
              i, pairs.get(i), i - 1, pairs.get(i - 1))
          .isGreaterThan(pairs.get(i - 1).lastIndex());
    }
  }

  /** Live threads of every etcd v2 store in this JVM. */
  static List<String> storeThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(name -> name.startsWith("valkeyrie-etcdv2-"))
        .sorted()
        .toList();
  }

  /** Heap in use after asking for full collections, in bytes. */
  static long heapUsedAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /**
   * One counter of the member's {@code /v2/stats/store}: {@code "watchers"} (open now), {@code
   * "createFail"} (creates refused because the key existed, as a lock waiter's attempt is), ...
   */
  static long etcdStat(String endpoint, String name) throws IOException {
    HttpURLConnection connection =
        (HttpURLConnection) URI.create(endpoint + "/v2/stats/store").toURL().openConnection();
    connection.setConnectTimeout(2_000);
    connection.setReadTimeout(2_000);
    try (InputStream in = connection.getInputStream()) {
      String body = new String(in.readAllBytes(), UTF_8);
      Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*(\\d+)").matcher(body);
      if (!m.find()) {
        throw new IOException("no " + name + " in " + body);
      }
      return Long.parseLong(m.group(1));
    } finally {
      connection.disconnect();
    }
  }

  /**
   * Starts {@code tryLock(patience)} on {@code key} in a thread of its own and returns once it is
   * waiting behind the current holder: its attempt was refused (etcd counted one more failed
   * create) and etcd has a watcher open.
   */
  static CompletableFuture<Optional<Lease>> startWaiter(
      Store waiting, String endpoint, String key, LockOptions options, Duration patience)
      throws IOException {
    long createFails = etcdStat(endpoint, "createFail");
    CompletableFuture<Optional<Lease>> waiter =
        onThread("waiter", () -> waiting.newLock(key, options).tryLock(patience));
    awaitLockWaiter(endpoint, createFails);
    return waiter;
  }

  private static void awaitLockWaiter(String endpoint, long createFailsBefore) {
    await("a lock waiter watching on etcd at " + endpoint)
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptions()
        .until(
            () ->
                etcdStat(endpoint, "createFail") > createFailsBefore
                    && etcdStat(endpoint, "watchers") >= 1);
  }

  /**
   * Asks the member at {@code endpoint} directly for the first event on {@code key} (recursively)
   * from {@code waitIndex}, as a watch would; returns etcd's error code, or 0 if it answered with
   * an event. Only for indexes in the past: the request gives up after 2 s.
   */
  static int etcdWatchAnswer(String endpoint, String key, long waitIndex) throws IOException {
    HttpURLConnection connection =
        (HttpURLConnection)
            URI.create(
                    endpoint
                        + "/v2/keys/"
                        + key
                        + "?wait=true&recursive=true&waitIndex="
                        + waitIndex)
                .toURL()
                .openConnection();
    connection.setConnectTimeout(2_000);
    connection.setReadTimeout(2_000);
    try {
      int status = connection.getResponseCode();
      try (InputStream in =
          status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
        String body = in == null ? "" : new String(in.readAllBytes(), UTF_8);
        Matcher m = ERROR_CODE.matcher(body);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
      }
    } finally {
      connection.disconnect();
    }
  }

  /** Percentile {@code p} (0 to 100) of {@code sorted}, nearest rank. */
  static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  static long[] sorted(long[] values) {
    long[] copy = values.clone();
    Arrays.sort(copy);
    return copy;
  }

  private static String describe(Object update) {
    String text = String.valueOf(update);
    return text.length() > 300 ? text.substring(0, 300) + "..." : text;
  }
}
