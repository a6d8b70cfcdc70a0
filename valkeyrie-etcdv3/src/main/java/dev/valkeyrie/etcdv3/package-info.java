/**
 * The etcd v3 backend (gRPC), under construction.
 *
 * <p>The messages and stubs of etcd 3.4's v3 API are generated at build time from the stripped
 * {@code .proto} files in {@code src/main/proto} into {@code dev.valkeyrie.etcdv3.rpc} ({@code
 * etcdserverpb}: KV, Watch, Lease, Cluster, Maintenance, Auth), {@code
 * dev.valkeyrie.etcdv3.rpc.mvcc} ({@code mvccpb}: KeyValue, Event) and {@code
 * dev.valkeyrie.etcdv3.rpc.auth} ({@code authpb}). Those packages are internal: they will not be
 * exported, and their types never appear in this module's public API.
 */
package dev.valkeyrie.etcdv3;
