package dev.valkeyrie.etcdv2;

import dev.valkeyrie.store.InvalidConfigurationException;

/**
 * An etcd member answered the v2 keys API as if it were not there: HTTP 404 without etcd's JSON
 * error, as etcd 3.4 and later answer when started without {@code --enable-v2=true} (a plain-text
 * {@code 404 page not found}). Nothing was applied. Start etcd with the v2 API, or use the etcd v3
 * backend ({@code dev.valkeyrie.etcdv3.EtcdV3Store}, backend name {@code etcdv3}), whose key space
 * is a different one.
 */
public final class V2ApiNotEnabledException extends InvalidConfigurationException {
  private static final long serialVersionUID = 1L;

  private final String endpoint;

  V2ApiNotEnabledException(String message, String endpoint) {
    super(message);
    this.endpoint = endpoint;
  }

  /**
   * The member that answered so, as {@code scheme://host:port} (endpoints carry no credentials).
   */
  public String endpoint() {
    return endpoint;
  }
}
