/**
 * The etcd v2 backend. Only {@code dev.valkeyrie.etcdv2} is exported, and in it only the facade.
 */
// "module": the qualified export names a module that is not compiled with this one.
@SuppressWarnings("module")
module dev.valkeyrie.etcdv2 {
  requires transitive dev.valkeyrie.store;
  requires com.fasterxml.jackson.core;
  requires org.apache.httpcomponents.client5.httpclient5;
  requires org.apache.httpcomponents.core5.httpcore5;
  requires org.apache.httpcomponents.core5.httpcore5.h2;
  requires org.slf4j;

  exports dev.valkeyrie.etcdv2;
  // Raw reads (snapshot with index and TTLs, long polls from an index) for the v2-to-v3 migration.
  exports dev.valkeyrie.etcdv2.migration to
      dev.valkeyrie.migrate;

  provides dev.valkeyrie.store.StoreProvider with
      dev.valkeyrie.etcdv2.EtcdV2StoreProvider;
}
