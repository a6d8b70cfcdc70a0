package dev.valkeyrie.etcdv2.migration;

import org.jspecify.annotations.Nullable;

/**
 * One consistent (quorum) recursive read.
 *
 * @param index etcd's {@code X-Etcd-Index} of the read: every change after it has a higher index
 * @param root the directory read with everything below it, or {@code null} when it does not exist
 */
public record V2Snapshot(long index, @Nullable V2Node root) {}
