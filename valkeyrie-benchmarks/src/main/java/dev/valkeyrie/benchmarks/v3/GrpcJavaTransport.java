package dev.valkeyrie.benchmarks.v3;

import com.google.protobuf.ByteString;
import dev.valkeyrie.etcdv3.rpc.KVGrpc;
import dev.valkeyrie.etcdv3.rpc.PutRequest;
import dev.valkeyrie.etcdv3.rpc.RangeRequest;
import dev.valkeyrie.etcdv3.rpc.WatchCreateRequest;
import dev.valkeyrie.etcdv3.rpc.WatchGrpc;
import dev.valkeyrie.etcdv3.rpc.WatchRequest;
import dev.valkeyrie.etcdv3.rpc.WatchResponse;
import dev.valkeyrie.etcdv3.rpc.mvcc.Event;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * grpc-java used directly: valkeyrie-etcdv3's generated blocking stubs on one {@link
 * ManagedChannel} (grpc-netty-shaded, plaintext), and one bidi Watch stream that multiplexes every
 * watch with client-chosen watch_ids.
 */
final class GrpcJavaTransport implements V3Transport {
  static final String NAME = "grpc-java";
  static final Duration DEADLINE = Duration.ofSeconds(10);

  private final ManagedChannel channel;
  private final KVGrpc.KVBlockingStub kv;
  private final RangeRequest serializable;
  private final RangeRequest linearizable;
  private final PutRequest put;

  GrpcJavaTransport(String endpoint) {
    URI uri = URI.create(endpoint);
    // The settings the protocol reference asks for (sections 2.4, 8.3): replies up to 64 MiB,
    // pings every 30 s only while calls are open (the server refuses pings under 5 s and pings
    // without streams).
    this.channel =
        NettyChannelBuilder.forAddress(uri.getHost(), uri.getPort())
            .usePlaintext()
            .maxInboundMessageSize(64 << 20)
            .keepAliveTime(30, TimeUnit.SECONDS)
            .keepAliveTimeout(10, TimeUnit.SECONDS)
            .keepAliveWithoutCalls(false)
            .build();
    this.kv = KVGrpc.newBlockingStub(channel);
    ByteString getKey = ByteString.copyFromUtf8(V3Workload.GET_KEY);
    this.serializable = RangeRequest.newBuilder().setKey(getKey).setSerializable(true).build();
    this.linearizable = RangeRequest.newBuilder().setKey(getKey).build();
    this.put =
        PutRequest.newBuilder()
            .setKey(ByteString.copyFromUtf8(V3Workload.PUT_KEY))
            .setValue(ByteString.copyFrom(V3Workload.VALUE))
            .build();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void call(V3Workload workload) {
    KVGrpc.KVBlockingStub stub = kv.withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    switch (workload) {
      case GET_SERIALIZABLE -> check(stub.range(serializable).getCount());
      case GET_LINEARIZABLE -> check(stub.range(linearizable).getCount());
      case PUT_100B -> stub.put(put);
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
    StreamObserver<WatchRequest> requests =
        WatchGrpc.newStub(channel)
            .watch(
                new StreamObserver<>() {
                  @Override
                  public void onNext(WatchResponse response) {
                    if (response.getCreated()) {
                      if (response.getCanceled()) {
                        failure.compareAndSet(
                            null,
                            new IllegalStateException(
                                "watch refused: " + response.getCancelReason()));
                      }
                      created.countDown();
                    }
                    // watch_id i + 1 watches keys[i]: ids are ours, and 0 is etcd's first automatic
                    // one.
                    int index = (int) response.getWatchId() - 1;
                    for (Event event : response.getEventsList()) {
                      if (event.getType() == Event.EventType.PUT) {
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
                });
    for (int i = 0; i < keys.size(); i++) {
      requests.onNext(
          WatchRequest.newBuilder()
              .setCreateRequest(
                  WatchCreateRequest.newBuilder()
                      .setKey(ByteString.copyFromUtf8(keys.get(i)))
                      .setStartRevision(startRevision)
                      .setWatchId(i + 1)
                      .setFragment(true))
              .build());
    }
    Watches watches =
        new Watches() {
          @Override
          public void close() {
            // etcd 3.4 keeps a watch stream open after the client's half-close: cancel the call.
            ((ClientCallStreamObserver<WatchRequest>) requests).cancel("probe done", null);
          }
        };
    if (!created.await(timeout.toMillis(), TimeUnit.MILLISECONDS) || failure.get() != null) {
      watches.close();
      if (failure.get() != null) {
        throw new IllegalStateException("watch stream failed", failure.get());
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
    channel.shutdown();
    try {
      if (!channel.awaitTermination(10, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    } catch (InterruptedException e) {
      channel.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
