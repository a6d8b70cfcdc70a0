/**
 * Raw v2 reads for {@code valkeyrie-migrate} only (exported to that module alone): a snapshot of a
 * tree with its index and TTLs, and the recursive long poll from a given index. Not an API.
 */
@NullMarked
package dev.valkeyrie.etcdv2.migration;

import org.jspecify.annotations.NullMarked;
