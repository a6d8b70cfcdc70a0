package dev.valkeyrie.benchmarks.stacks;

import dev.valkeyrie.benchmarks.BlockingClient;
import dev.valkeyrie.benchmarks.Workload;
import dev.valkeyrie.etcdv2.internal.BenchAccess;
import dev.valkeyrie.etcdv2.internal.EtcdResponse;
import dev.valkeyrie.etcdv2.internal.http.HttpCall;
import dev.valkeyrie.etcdv2.internal.http.HttpResult;
import dev.valkeyrie.etcdv2.internal.http.HttpTransport;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One HTTP stack behind the backend's {@link HttpTransport} seam, sending the workload's request
 * and decoding the answer with the backend's JSON codec: everything but the stack is equal.
 */
public final class TransportClient implements BlockingClient {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private final String name;
  private final HttpTransport transport;
  private final String endpoint;
  private final boolean callerWaits;

  /**
   * @param callerWaits whether to send with {@link HttpTransport#sendAndWait} (as the backend's
   *     blocking calls do) rather than {@link HttpTransport#send}
   */
  public TransportClient(String name, Supplier<HttpTransport> transport, List<String> endpoints,
      boolean callerWaits) {
    this.name = name;
    this.transport = transport.get();
    this.endpoint = endpoints.get(0);
    this.callerWaits = callerWaits;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void call(Workload workload) throws Exception {
    HttpCall call = new HttpCall(workload.method(), URI.create(endpoint), workload.pathAndQuery(),
        workload.formBody(), TIMEOUT);
    HttpResult result = (callerWaits ? transport.sendAndWait(call) : transport.send(call))
        .get(TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
    if (result.status() / 100 != 2) {
      throw new IllegalStateException("HTTP " + result.status());
    }
    if (workload == Workload.LIST_1000) {
      BenchAccess.list(result.body(), result.etcdIndex());
    } else {
      EtcdResponse response = BenchAccess.parse(result.body(), result.etcdIndex());
      BenchAccess.pair(workload.key(), response.node());
    }
  }

  @Override
  public void close() {
    transport.close();
  }
}
