/**
 * The etcd v2 backend: {@link dev.valkeyrie.etcdv2.EtcdV2Store} and {@link
 * dev.valkeyrie.etcdv2.EtcdV2Config}. Everything else here is package-private.
 */
@NullMarked
package dev.valkeyrie.etcdv2;

import org.jspecify.annotations.NullMarked;
