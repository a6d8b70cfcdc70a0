package dev.valkeyrie.benchmarks.v3;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * jetcd 0.8.5 through its public API: {@code KV.get/put} futures waited on with a deadline, and its
 * normal {@code Watch.watch} (which opens a gRPC stream per watcher).
 */
final class JetcdTransport implements V3Transport {
  static final String NAME = "jetcd";

  private final Client client;
  private final KV kv;
  private final ByteSequence getKey =
      ByteSequence.from(V3Workload.GET_KEY.getBytes(StandardCharsets.UTF_8));
  private final ByteSequence putKey =
      ByteSequence.from(V3Workload.PUT_KEY.getBytes(StandardCharsets.UTF_8));
  private final ByteSequence value = ByteSequence.from(V3Workload.VALUE);
  private final GetOption serializable = GetOption.builder().withSerializable(true).build();
  private final GetOption linearizable = GetOption.builder().withSerializable(false).build();

  JetcdTransport(String endpoint) {
    // The same channel settings as the grpc-java transport (jetcd's own defaults ping idle
    // connections, which etcd answers with GOAWAY too_many_pings).
    this.client =
        Client.builder()
            .endpoints(endpoint)
            .maxInboundMessageSize(64 << 20)
            .keepaliveTime(Duration.ofSeconds(30))
            .keepaliveTimeout(Duration.ofSeconds(10))
            .keepaliveWithoutCalls(false)
            .build();
    this.kv = client.getKVClient();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void call(V3Workload workload) throws Exception {
    long deadline = GrpcJavaTransport.DEADLINE.toMillis();
    switch (workload) {
      case GET_SERIALIZABLE ->
          check(kv.get(getKey, serializable).get(deadline, TimeUnit.MILLISECONDS).getCount());
      case GET_LINEARIZABLE ->
          check(kv.get(getKey, linearizable).get(deadline, TimeUnit.MILLISECONDS).getCount());
      case PUT_100B -> kv.put(putKey, value).get(deadline, TimeUnit.MILLISECONDS);
    }
  }

  private static void check(long count) {
    if (count != 1) {
      throw new IllegalStateException("expected one key, got " + count);
    }
  }

  @Override
  public Watches watchEach(
      List<String> keys, long startRevision, IntConsumer onPut, Duration timeout) throws Exception {
    CountDownLatch created = new CountDownLatch(keys.size());
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Watch watch = client.getWatchClient();
    WatchOption option =
        WatchOption.builder().withRevision(startRevision).withCreateNotify(true).build();
    List<Watch.Watcher> watchers = new ArrayList<>(keys.size());
    Watches watches =
        new Watches() {
          @Override
          public void close() {
            watchers.forEach(Watch.Watcher::close);
          }
        };
    for (int i = 0; i < keys.size(); i++) {
      int index = i;
      watchers.add(
          watch.watch(
              ByteSequence.from(keys.get(i).getBytes(StandardCharsets.UTF_8)),
              option,
              new Watch.Listener() {
                @Override
                public void onNext(WatchResponse response) {
                  if (response.isCreatedNotify()) {
                    created.countDown();
                  }
                  for (WatchEvent event : response.getEvents()) {
                    if (event.getEventType() == WatchEvent.EventType.PUT) {
                      onPut.accept(index);
                    }
                  }
                }

                @Override
                public void onError(Throwable t) {
                  failure.compareAndSet(null, t);
                }

                @Override
                public void onCompleted() {}
              }));
    }
    if (!created.await(timeout.toMillis(), TimeUnit.MILLISECONDS) || failure.get() != null) {
      watches.close();
      if (failure.get() != null) {
        throw new IllegalStateException("a watch failed", failure.get());
      }
      throw new TimeoutException(
          (keys.size() - created.getCount())
              + " of "
              + keys.size()
              + " watches created within "
              + timeout);
    }
    return watches;
  }

  @Override
  public void close() {
    client.close();
  }
}
