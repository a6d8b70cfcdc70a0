package dev.valkeyrie.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mousio.etcd4j.EtcdClient;
import mousio.etcd4j.requests.EtcdKeyGetRequest;
import mousio.etcd4j.responses.EtcdKeysResponse;
import mousio.etcd4j.transport.EtcdNettyClient;
import mousio.etcd4j.transport.EtcdNettyConfig;

/**
 * etcd4j 2.18.0, the most used Java etcd v2 client, with its default transport (Netty, a new
 * connection per request) and default retry policy, each request bounded by a timeout, and its
 * response size limit raised to fit the 1,000-child listing.
 *
 * <p>etcd4j has no quorum option (its {@code consistent()} sends {@code consistent=true}, which
 * etcd 2 and 3 ignore), so the quorum workload adds {@code quorum=true} to its request parameters.
 */
public final class Etcd4jClient implements BlockingClient {
  public static final String NAME = "etcd4j";
  private static final long TIMEOUT_SECONDS = 10;

  private final EtcdClient client;

  public Etcd4jClient(List<String> endpoints) {
    // The default 100 KiB frame limit is below the 1,000-child listing: raise it.
    EtcdNettyConfig config = new EtcdNettyConfig().setMaxFrameSize(16 << 20);
    this.client =
        new EtcdClient(
            new EtcdNettyClient(config, endpoints.stream().map(URI::create).toArray(URI[]::new)));
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void call(Workload workload) throws Exception {
    EtcdKeysResponse response =
        switch (workload) {
          case GET_ONE ->
              client.get(workload.key()).timeout(TIMEOUT_SECONDS, TimeUnit.SECONDS).send().get();
          case GET_QUORUM -> {
            EtcdKeyGetRequest request = client.get(workload.key());
            request.getRequestParams().put("quorum", "true");
            yield request.timeout(TIMEOUT_SECONDS, TimeUnit.SECONDS).send().get();
          }
          case PUT_100B ->
              client
                  .put(workload.key(), Workload.PUT_VALUE)
                  .timeout(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                  .send()
                  .get();
          case LIST_1000 ->
              client
                  .getDir(workload.key())
                  .recursive()
                  .sorted()
                  .timeout(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                  .send()
                  .get();
        };
    if (response.node == null) {
      throw new IllegalStateException("etcd4j answer without a node");
    }
    if (workload == Workload.LIST_1000 && response.node.nodes.size() != Workload.LIST_CHILDREN) {
      throw new IllegalStateException("etcd4j listed " + response.node.nodes.size());
    }
  }

  @Override
  public void close() {
    try {
      client.close();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
