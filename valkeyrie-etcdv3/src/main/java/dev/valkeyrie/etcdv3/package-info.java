/**
 * The etcd v3 backend: {@link dev.valkeyrie.etcdv3.EtcdV3Store} on etcd's gRPC API, configured with
 * {@link dev.valkeyrie.etcdv3.EtcdV3Config}. Everything else in the package is internal.
 *
 * <p>The messages and stubs of etcd 3.4's v3 API are generated at build time from the stripped
 * {@code .proto} files in {@code src/main/proto} into {@code dev.valkeyrie.etcdv3.rpc} ({@code
 * etcdserverpb}: KV, Watch, Lease, Cluster, Maintenance, Auth), {@code
 * dev.valkeyrie.etcdv3.rpc.mvcc} ({@code mvccpb}: KeyValue, Event) and {@code
 * dev.valkeyrie.etcdv3.rpc.auth} ({@code authpb}). Those packages are not exported, and their types
 * never appear in this module's public API.
 */
@NullMarked
package dev.valkeyrie.etcdv3;

import org.jspecify.annotations.NullMarked;
