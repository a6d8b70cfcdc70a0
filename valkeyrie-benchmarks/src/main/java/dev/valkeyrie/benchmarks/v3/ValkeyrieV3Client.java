package dev.valkeyrie.benchmarks.v3;

import dev.valkeyrie.etcdv3.EtcdV3Config;
import dev.valkeyrie.etcdv3.EtcdV3Store;
import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.ReadOptions;
import java.util.List;

/** valkeyrie-etcdv3 through its public, blocking {@code Store} API, with the default settings. */
public final class ValkeyrieV3Client implements V3Client {
  public static final String NAME = "valkeyrie-etcdv3";
  private static final ReadOptions SERIALIZABLE = ReadOptions.builder().consistent(false).build();
  private static final ReadOptions LINEARIZABLE = ReadOptions.DEFAULT;

  private final EtcdV3Store store;

  ValkeyrieV3Client(List<String> endpoints) {
    this.store = EtcdV3Store.open(endpoints, EtcdV3Config.defaults());
  }

  EtcdV3Store store() {
    return store;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void call(V3Load workload) {
    switch (workload) {
      case GET_SERIALIZABLE -> check(store.get(V3Load.GET_KEY, SERIALIZABLE));
      case GET_LINEARIZABLE -> check(store.get(V3Load.GET_KEY, LINEARIZABLE));
      case PUT_100B -> store.put(V3Load.PUT_KEY, V3Load.VALUE);
      case RANGE_1000 -> {
        List<KVPair> entries = store.list(V3Load.LIST_DIR, SERIALIZABLE);
        if (entries.size() != V3Load.LIST_KEYS) {
          throw new IllegalStateException("listed " + entries.size() + " keys");
        }
      }
    }
  }

  private static void check(KVPair pair) {
    if (pair.lastIndex() <= 0) {
      throw new IllegalStateException("no revision in " + pair.key());
    }
  }

  @Override
  public void close() {
    store.close();
  }
}
