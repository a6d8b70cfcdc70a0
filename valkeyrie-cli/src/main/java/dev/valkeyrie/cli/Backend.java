package dev.valkeyrie.cli;

import dev.valkeyrie.etcdv2.EtcdV2Store;
import dev.valkeyrie.etcdv3.EtcdV3Store;
import java.util.Locale;

/** The store the commands work on: etcd's v2 keys API (the default), or its v3 gRPC API. */
enum Backend {
  ETCDV2(EtcdV2Store.NAME, "etcd v2"),
  ETCDV3(EtcdV3Store.NAME, "etcd v3");

  private final String storeName;
  private final String title;

  Backend(String storeName, String title) {
    this.storeName = storeName;
    this.title = title;
  }

  /** The name {@link dev.valkeyrie.store.Valkeyrie#newStore} knows the backend by. */
  String storeName() {
    return storeName;
  }

  /** For messages: {@code etcd v2}, {@code etcd v3}. */
  String title() {
    return title;
  }

  /**
   * The backend named {@code etcdv2} or {@code etcdv3}, in any case.
   *
   * @param source where the name came from, for the error
   * @throws UsageException for any other name
   */
  static Backend named(String name, String source) {
    for (Backend b : values()) {
      if (b.storeName.equalsIgnoreCase(name.strip())) {
        return b;
      }
    }
    throw new UsageException(source + " must be etcdv2 or etcdv3, was '" + name + "'");
  }

  @Override
  public String toString() {
    return storeName.toLowerCase(Locale.ROOT);
  }
}
