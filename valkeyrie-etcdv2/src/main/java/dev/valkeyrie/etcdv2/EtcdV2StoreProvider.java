package dev.valkeyrie.etcdv2;

import dev.valkeyrie.store.InvalidConfigurationException;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.store.StoreConfig;
import dev.valkeyrie.store.StoreProvider;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Registers the etcd v2 backend with {@link java.util.ServiceLoader}. */
public final class EtcdV2StoreProvider implements StoreProvider {

  /** The provider {@link java.util.ServiceLoader} instantiates. */
  public EtcdV2StoreProvider() {}

  @Override
  public String name() {
    return EtcdV2Store.NAME;
  }

  @Override
  public Store newStore(List<String> endpoints, @Nullable StoreConfig config) {
    if (config != null && !(config instanceof EtcdV2Config)) {
      throw new InvalidConfigurationException(
          "the etcdv2 backend needs an EtcdV2Config, not " + config.getClass().getName());
    }
    return EtcdV2Store.open(endpoints, (EtcdV2Config) config);
  }
}
