package dev.valkeyrie.etcdv3;

import dev.valkeyrie.store.InvalidConfigurationException;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.store.StoreConfig;
import dev.valkeyrie.store.StoreProvider;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Registers the etcd v3 backend with {@link java.util.ServiceLoader}. */
public final class EtcdV3StoreProvider implements StoreProvider {

  /** Called by {@link java.util.ServiceLoader}. */
  public EtcdV3StoreProvider() {}

  @Override
  public String name() {
    return EtcdV3Store.NAME;
  }

  @Override
  public Store newStore(List<String> endpoints, @Nullable StoreConfig config) {
    if (config != null && !(config instanceof EtcdV3Config)) {
      throw new InvalidConfigurationException(
          "the etcdv3 backend needs an EtcdV3Config, not " + config.getClass().getName());
    }
    return EtcdV3Store.open(endpoints, (EtcdV3Config) config);
  }
}
