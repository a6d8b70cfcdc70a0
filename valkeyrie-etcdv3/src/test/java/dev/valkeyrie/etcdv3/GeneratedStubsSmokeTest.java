package dev.valkeyrie.etcdv3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.etcdv3.rpc.KVGrpc;
import dev.valkeyrie.etcdv3.rpc.PutRequest;
import dev.valkeyrie.etcdv3.rpc.PutResponse;
import dev.valkeyrie.etcdv3.rpc.RangeRequest;
import dev.valkeyrie.etcdv3.rpc.RangeResponse;
import dev.valkeyrie.etcdv3.rpc.WatchCancelRequest;
import dev.valkeyrie.etcdv3.rpc.WatchCreateRequest;
import dev.valkeyrie.etcdv3.rpc.WatchGrpc;
import dev.valkeyrie.etcdv3.rpc.WatchRequest;
import dev.valkeyrie.etcdv3.rpc.WatchResponse;
import dev.valkeyrie.etcdv3.rpc.mvcc.Event;
import dev.valkeyrie.etcdv3.rpc.mvcc.KeyValue;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Proves that the build's generated messages and stubs speak to a real etcd 3.4: a Put and a Range
 * through the blocking KV stub, one bidi Watch with a client-chosen watch_id and fragment=true
 * (created reply, one PUT event with its prev_kv, cancel reply, then the call cancelled), and a
 * channel shutdown that leaves no gRPC thread behind.
 */
class GeneratedStubsSmokeTest {
  @RegisterExtension static final EtcdClusterExtension ETCD = EtcdClusterExtension.members(1);

  private static final long WATCH_ID = 42;
  private static final long TIMEOUT_SECONDS = 10;

  @Test
  void putRangeAndWatchThroughTheGeneratedStubs() throws Exception {
    URI endpoint = URI.create(ETCD.endpoints().get(0));
    ManagedChannel channel =
        NettyChannelBuilder.forAddress(endpoint.getHost(), endpoint.getPort())
            .usePlaintext()
            .maxInboundMessageSize(64 << 20)
            .keepAliveTime(30, TimeUnit.SECONDS)
            .keepAliveTimeout(10, TimeUnit.SECONDS)
            .keepAliveWithoutCalls(false)
            .build();
    try {
      KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(channel);
      ByteString key = ByteString.copyFromUtf8("smoke/key");

      PutResponse put =
          kv.withDeadlineAfter(TIMEOUT_SECONDS, TimeUnit.SECONDS)
              .put(
                  PutRequest.newBuilder()
                      .setKey(key)
                      .setValue(ByteString.copyFromUtf8("one"))
                      .build());
      long putRevision = put.getHeader().getRevision();
      assertThat(putRevision).isPositive();

      RangeResponse range =
          kv.withDeadlineAfter(TIMEOUT_SECONDS, TimeUnit.SECONDS)
              .range(RangeRequest.newBuilder().setKey(key).build());
      assertThat(range.getCount()).isEqualTo(1);
      KeyValue read = range.getKvs(0);
      assertThat(read.getKey()).isEqualTo(key);
      assertThat(read.getValue().toStringUtf8()).isEqualTo("one");
      assertThat(read.getModRevision()).isEqualTo(putRevision);

      BlockingQueue<WatchResponse> responses = new LinkedBlockingQueue<>();
      CompletableFuture<Void> streamEnd = new CompletableFuture<>();
      StreamObserver<WatchRequest> requests =
          WatchGrpc.newStub(channel)
              .watch(
                  new StreamObserver<>() {
                    @Override
                    public void onNext(WatchResponse response) {
                      responses.add(response);
                    }

                    @Override
                    public void onError(Throwable t) {
                      streamEnd.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                      streamEnd.complete(null);
                    }
                  });
      requests.onNext(
          WatchRequest.newBuilder()
              .setCreateRequest(
                  WatchCreateRequest.newBuilder()
                      .setKey(key)
                      .setStartRevision(putRevision + 1)
                      .setWatchId(WATCH_ID)
                      .setFragment(true)
                      .setPrevKv(true))
              .build());

      WatchResponse created = next(responses);
      assertThat(created.getCreated()).as(created.toString()).isTrue();
      assertThat(created.getCanceled()).as(created.toString()).isFalse();
      assertThat(created.getWatchId()).isEqualTo(WATCH_ID);
      assertThat(created.getHeader().getRevision()).isEqualTo(putRevision);

      PutResponse second =
          kv.withDeadlineAfter(TIMEOUT_SECONDS, TimeUnit.SECONDS)
              .put(
                  PutRequest.newBuilder()
                      .setKey(key)
                      .setValue(ByteString.copyFromUtf8("two"))
                      .build());

      WatchResponse change = next(responses);
      assertThat(change.getWatchId()).isEqualTo(WATCH_ID);
      assertThat(change.getFragment()).isFalse();
      assertThat(change.getEventsList()).hasSize(1);
      Event event = change.getEvents(0);
      assertThat(event.getType()).isEqualTo(Event.EventType.PUT);
      assertThat(event.getKv().getValue().toStringUtf8()).isEqualTo("two");
      assertThat(event.getKv().getModRevision()).isEqualTo(second.getHeader().getRevision());
      assertThat(event.getPrevKv().getValue().toStringUtf8()).isEqualTo("one");

      requests.onNext(
          WatchRequest.newBuilder()
              .setCancelRequest(WatchCancelRequest.newBuilder().setWatchId(WATCH_ID))
              .build());
      WatchResponse canceled = next(responses);
      assertThat(canceled.getCanceled()).as(canceled.toString()).isTrue();
      assertThat(canceled.getWatchId()).isEqualTo(WATCH_ID);
      // etcd 3.4 does not end a watch stream when the client half-closes it (its recvLoop returns
      // nil on EOF and Watch waits for the stream's context): only a cancel ends the call.
      requests.onCompleted();
      await()
          .during(Duration.ofMillis(500))
          .atMost(Duration.ofSeconds(TIMEOUT_SECONDS))
          .until(() -> !streamEnd.isDone());
      ((ClientCallStreamObserver<WatchRequest>) requests).cancel("smoke test done", null);
      assertThat(streamEnd)
          .failsWithin(Duration.ofSeconds(TIMEOUT_SECONDS))
          .withThrowableOfType(ExecutionException.class)
          .satisfies(
              e ->
                  assertThat(Status.fromThrowable(e.getCause()).getCode())
                      .isEqualTo(Status.Code.CANCELLED));
    } finally {
      channel.shutdown();
      if (!channel.awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    }
    assertThat(channel.isTerminated()).isTrue();
    // grpc-java releases its shared event loop, executor and timer about a second after the last
    // channel is gone (SharedResourceHolder), so poll for their threads to end.
    await()
        .atMost(Duration.ofSeconds(TIMEOUT_SECONDS))
        .untilAsserted(() -> assertThat(grpcThreads()).as("gRPC threads still alive").isEmpty());
  }

  private static WatchResponse next(BlockingQueue<WatchResponse> responses)
      throws InterruptedException {
    WatchResponse response = responses.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    assertThat(response).as("a watch response within " + TIMEOUT_SECONDS + " s").isNotNull();
    return response;
  }

  /** Live threads of grpc-java and its shaded Netty (event loops, executor, timer, destroyer). */
  private static List<String> grpcThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(name -> name.startsWith("grpc-") || name.startsWith("globalEventExecutor"))
        .sorted()
        .collect(Collectors.toList());
  }
}
