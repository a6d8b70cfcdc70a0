/**
 * The etcd v2 backend. Only {@code dev.valkeyrie.etcdv2} is exported, and in it only the facade.
 */
module dev.valkeyrie.etcdv2 {
  requires transitive dev.valkeyrie.store;
  requires com.fasterxml.jackson.core;
  requires org.apache.httpcomponents.client5.httpclient5;
  requires org.apache.httpcomponents.core5.httpcore5;
  requires org.apache.httpcomponents.core5.httpcore5.h2;
  requires org.slf4j;

  exports dev.valkeyrie.etcdv2;

  provides dev.valkeyrie.store.StoreProvider with
      dev.valkeyrie.etcdv2.EtcdV2StoreProvider;
}
