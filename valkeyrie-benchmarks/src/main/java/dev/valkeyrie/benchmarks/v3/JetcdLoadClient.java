package dev.valkeyrie.benchmarks.v3;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.options.GetOption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * jetcd 0.8.5 through its public API, {@code KV.get/put} futures waited on with a deadline, for the
 * v3 speed table. The channel settings are those of the other clients in the table.
 */
public final class JetcdLoadClient implements V3Client {
  public static final String NAME = "jetcd";
  private static final long DEADLINE_MILLIS = 10_000;

  private final Client client;
  private final KV kv;
  private final ByteSequence getKey = bytes(V3Load.GET_KEY);
  private final ByteSequence putKey = bytes(V3Load.PUT_KEY);
  private final ByteSequence listFrom = bytes(V3Load.LIST_DIR + "/");
  private final ByteSequence value = ByteSequence.from(V3Load.VALUE);
  private final GetOption serializable = GetOption.builder().withSerializable(true).build();
  private final GetOption linearizable = GetOption.builder().withSerializable(false).build();
  private final GetOption range =
      GetOption.builder().withRange(bytes(V3Load.LIST_DIR + "0")).withSerializable(true).build();

  JetcdLoadClient(List<String> endpoints) {
    // jetcd's own defaults ping idle connections, which etcd answers with GOAWAY too_many_pings.
    this.client =
        Client.builder()
            .endpoints(endpoints.toArray(String[]::new))
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
  public void call(V3Load workload) throws Exception {
    switch (workload) {
      case GET_SERIALIZABLE ->
          check(
              1,
              kv.get(getKey, serializable).get(DEADLINE_MILLIS, TimeUnit.MILLISECONDS).getCount());
      case GET_LINEARIZABLE ->
          check(
              1,
              kv.get(getKey, linearizable).get(DEADLINE_MILLIS, TimeUnit.MILLISECONDS).getCount());
      case PUT_100B -> kv.put(putKey, value).get(DEADLINE_MILLIS, TimeUnit.MILLISECONDS);
      case RANGE_1000 ->
          check(
              V3Load.LIST_KEYS,
              kv.get(listFrom, range).get(DEADLINE_MILLIS, TimeUnit.MILLISECONDS).getKvs().size());
    }
  }

  private static void check(long expected, long count) {
    if (count != expected) {
      throw new IllegalStateException("expected " + expected + " keys, got " + count);
    }
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    client.close();
  }
}
