/**
 * The etcd v3 backend of valkeyrie: {@link dev.valkeyrie.etcdv3.EtcdV3Store} on etcd's gRPC API.
 *
 * <p>Only {@code dev.valkeyrie.etcdv3} is exported; the messages and stubs generated from etcd's
 * {@code .proto} files ({@code dev.valkeyrie.etcdv3.rpc} and below) stay internal.
 */
// The name is the artifact's (dev.valkeyrie.etcdv3, as its automatic name was); grpc, protobuf
// and valkeyrie-store are automatic modules (no module-info of their own).
@SuppressWarnings({"module", "requires-automatic", "requires-transitive-automatic"})
module dev.valkeyrie.etcdv3 {
  requires transitive dev.valkeyrie.store;
  requires com.google.protobuf;
  requires io.grpc;
  requires io.grpc.netty.shaded;
  requires io.grpc.protobuf;
  requires io.grpc.stub;
  requires static transitive org.jspecify;

  exports dev.valkeyrie.etcdv3;
  // Raw access (many-op txns, leases, paged reads, the key layout) for the v2-to-v3 migration.
  exports dev.valkeyrie.etcdv3.migration to
      dev.valkeyrie.migrate;

  provides dev.valkeyrie.store.StoreProvider with
      dev.valkeyrie.etcdv3.EtcdV3StoreProvider;
}
