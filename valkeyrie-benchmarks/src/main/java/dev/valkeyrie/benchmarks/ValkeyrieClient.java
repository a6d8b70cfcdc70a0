package dev.valkeyrie.benchmarks;

import dev.valkeyrie.etcdv2.EtcdV2Config;
import dev.valkeyrie.etcdv2.EtcdV2Store;
import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.ReadOptions;
import dev.valkeyrie.store.Store;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** valkeyrie-java through its public, blocking {@link Store} API, with the default settings. */
public final class ValkeyrieClient implements BlockingClient {
  public static final String NAME = "valkeyrie-java";
  private static final ReadOptions PLAIN = ReadOptions.builder().consistent(false).build();
  private static final ReadOptions QUORUM = ReadOptions.DEFAULT;
  private static final byte[] PUT_VALUE = Workload.PUT_VALUE.getBytes(StandardCharsets.UTF_8);

  private final Store store;

  public ValkeyrieClient(List<String> endpoints) {
    this.store = EtcdV2Store.open(endpoints, EtcdV2Config.defaults());
  }

  public Store store() {
    return store;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void call(Workload workload) {
    switch (workload) {
      case GET_ONE -> check(store.get(Workload.GET_ONE.key(), PLAIN));
      case GET_QUORUM -> check(store.get(Workload.GET_QUORUM.key(), QUORUM));
      case PUT_100B -> store.put(Workload.PUT_100B.key(), PUT_VALUE);
      case LIST_1000 -> {
        List<KVPair> entries = store.list(Workload.LIST_1000.key(), PLAIN);
        if (entries.size() != Workload.LIST_CHILDREN) {
          throw new IllegalStateException("listed " + entries.size() + " entries");
        }
      }
    }
  }

  private static void check(KVPair pair) {
    if (pair.lastIndex() <= 0) {
      throw new IllegalStateException("no index in " + pair);
    }
  }

  @Override
  public void close() {
    store.close();
  }
}
