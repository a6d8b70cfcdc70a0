package dev.valkeyrie.etcdv3;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.valkeyrie.etcdv3.rpc.CompactionRequest;
import dev.valkeyrie.etcdv3.rpc.PutRequest;
import dev.valkeyrie.etcdv3.rpc.RangeRequest;
import dev.valkeyrie.etcdv3.rpc.RangeResponse;
import dev.valkeyrie.etcdv3.rpc.RequestOp;
import dev.valkeyrie.etcdv3.rpc.TxnRequest;
import dev.valkeyrie.etcdv3.rpc.WatchCreateRequest;
import dev.valkeyrie.etcdv3.rpc.WatchGrpc;
import dev.valkeyrie.etcdv3.rpc.WatchRequest;
import dev.valkeyrie.etcdv3.rpc.WatchResponse;
import dev.valkeyrie.etcdv3.rpc.mvcc.Event;
import dev.valkeyrie.etcdv3.rpc.mvcc.KeyValue;
import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.KeyEvent;
import dev.valkeyrie.store.Watch;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** What the watch tests share: stores whose watch part they can reach, waits, etcd's counters. */
final class WatchTesting {
  private WatchTesting() {}

  /** How long a test waits for an update that must come. */
  static final Duration AWAIT = Duration.ofSeconds(30);

  /** A store and its watch part. */
  record Opened(EtcdV3Store store, Watches watches) implements AutoCloseable {
    WatchStream stream() {
      return watches.stream();
    }

    @Override
    public void close() {
      store.close();
    }
  }

  static Opened open(List<String> endpoints, @Nullable EtcdV3Config config) {
    return open(endpoints, config, (key, revision) -> {});
  }

  /** A store whose watches run {@code hook} between their first read and their creation. */
  static Opened open(
      List<String> endpoints, @Nullable EtcdV3Config config, Watches.StartHook hook) {
    AtomicReference<Watches> part = new AtomicReference<>();
    EtcdV3Store.Parts standard = EtcdV3Store.Parts.standard();
    EtcdV3Store store =
        EtcdV3Store.open(
            endpoints,
            config,
            null,
            new EtcdV3Store.Parts(
                context -> {
                  Watches watches = new Watches(context, hook);
                  part.set(watches);
                  return watches;
                },
                standard.locks()));
    return new Opened(store, part.get());
  }

  /** Takes updates until one matches, within {@code timeout}; {@code seen} gets each of them. */
  static <T> T pollUntil(
      Watch<T> watch, Predicate<? super T> wanted, Duration timeout, List<T> seen)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
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
                + " seen, the last: "
                + (seen.isEmpty() ? "none" : abbreviate(seen.get(seen.size() - 1))));
      }
      T update = watch.poll(Duration.ofNanos(remaining));
      if (update != null) {
        seen.add(update);
        if (wanted.test(update)) {
          return update;
        }
      }
    }
  }

  static <T> T pollUntil(Watch<T> watch, Predicate<? super T> wanted) throws InterruptedException {
    return pollUntil(watch, wanted, AWAIT, new ArrayList<>());
  }

  /** Exactly {@code count} updates, failing if they do not all come within {@code timeout}. */
  static <T> List<T> take(Watch<T> watch, int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<T> taken = new ArrayList<>();
    while (taken.size() < count) {
      long remaining = deadline - System.nanoTime();
      T update = remaining > 0 ? watch.poll(Duration.ofNanos(remaining)) : null;
      if (update == null) {
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
                + abbreviate(taken));
      }
      taken.add(update);
    }
    return taken;
  }

  static <T> T next(Watch<T> watch) throws InterruptedException {
    return take(watch, 1, AWAIT).get(0);
  }

  /** Asserts that each index is above the one before: in order, no repeats. */
  static void assertStrictlyIncreasing(List<KVPair> pairs) {
    for (int i = 1; i < pairs.size(); i++) {
      assertThat(pairs.get(i).lastIndex())
          .as("index of update %d (%s) after %s", i, pairs.get(i), pairs.get(i - 1))
          .isGreaterThan(pairs.get(i - 1).lastIndex());
    }
  }

  static List<String> values(List<KVPair> pairs) {
    return pairs.stream().map(KVPair::valueAsString).toList();
  }

  static List<String> eventValues(List<KeyEvent> events) {
    return events.stream().map(e -> e.pair().valueAsString()).toList();
  }

  /** The store's current revision, read directly. */
  static long revision(TestSupport.Raw raw) {
    return raw.kv()
        .range(
            RangeRequest.newBuilder()
                .setKey(ByteString.copyFromUtf8("rev-probe"))
                .setCountOnly(true)
                .build())
        .getHeader()
        .getRevision();
  }

  /** Compacts etcd's history up to its current revision; returns that revision. */
  static long compactAll(TestSupport.Raw raw) {
    long revision = revision(raw);
    raw.kv()
        .compact(CompactionRequest.newBuilder().setRevision(revision).setPhysical(true).build());
    return revision;
  }

  /** Writes {@code dir/k0 ... dir/k<count-1>} directly, 128 keys a txn, values of {@code size}. */
  static void putMany(TestSupport.Raw raw, String dir, int count, int size) {
    ByteString value = ByteString.copyFrom(new byte[size]);
    for (int from = 0; from < count; from += 128) {
      TxnRequest.Builder txn = TxnRequest.newBuilder();
      for (int i = from; i < Math.min(count, from + 128); i++) {
        txn.addSuccess(
            RequestOp.newBuilder()
                .setRequestPut(
                    PutRequest.newBuilder()
                        .setKey(ByteString.copyFromUtf8(dir + "/k" + i))
                        .setValue(value)));
      }
      raw.kv().txn(txn.build());
    }
  }

  /**
   * etcd's own history of {@code key} after {@code fromRevision} up to its current value, read with
   * a watch of the test's own: what a watch from {@code fromRevision + 1} must deliver, each change
   * once, in order (a deletion as an empty value at its revision).
   */
  static List<KVPair> history(TestSupport.Raw raw, String key, long fromRevision) throws Exception {
    ByteString k = ByteString.copyFromUtf8(key);
    RangeResponse now = raw.kv().range(RangeRequest.newBuilder().setKey(k).build());
    if (now.getKvsCount() == 0) {
      throw new IllegalStateException("history of '" + key + "' needs the key to exist");
    }
    long last = now.getKvs(0).getModRevision();
    List<KVPair> changes = Collections.synchronizedList(new ArrayList<>());
    if (last <= fromRevision) {
      return changes;
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    StreamObserver<WatchRequest> requests =
        WatchGrpc.newStub(raw.channel)
            .watch(
                new StreamObserver<WatchResponse>() {
                  @Override
                  public void onNext(WatchResponse response) {
                    for (Event e : response.getEventsList()) {
                      KeyValue kv = e.getKv();
                      changes.add(
                          new KVPair(
                              key,
                              e.getType() == Event.EventType.PUT
                                  ? kv.getValue().toByteArray()
                                  : new byte[0],
                              kv.getModRevision()));
                      if (kv.getModRevision() >= last) {
                        done.complete(null);
                      }
                    }
                    if (response.getCanceled()) {
                      done.completeExceptionally(
                          new IllegalStateException("history watch cancelled: " + response));
                    }
                  }

                  @Override
                  public void onError(Throwable t) {
                    done.completeExceptionally(t);
                  }

                  @Override
                  public void onCompleted() {}
                });
    requests.onNext(
        WatchRequest.newBuilder()
            .setCreateRequest(
                WatchCreateRequest.newBuilder().setKey(k).setStartRevision(fromRevision + 1))
            .build());
    try {
      done.get(30, TimeUnit.SECONDS);
    } finally {
      ((ClientCallStreamObserver<WatchRequest>) requests).cancel("done", null);
    }
    return List.copyOf(changes);
  }

  /** A gauge or counter of etcd's /metrics without labels (0 if absent). */
  static long etcdMetric(String endpoint, String name) throws Exception {
    String metrics;
    try (InputStream in = URI.create(endpoint + "/metrics").toURL().openStream()) {
      metrics = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$").matcher(metrics);
    return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
  }

  /** Percentile {@code p} (0 to 100) of {@code values}, nearest rank. */
  static long percentile(long[] values, double p) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  private static String abbreviate(Object o) {
    String text = String.valueOf(o);
    return text.length() > 400 ? text.substring(0, 400) + "..." : text;
  }
}
