/**
 * Raw v3 access for {@code valkeyrie-migrate} only (exported to that module alone): transactions of
 * many operations, leases, paged reads, and the exact key bytes the v3 backend uses. Not an API.
 */
@NullMarked
package dev.valkeyrie.etcdv3.migration;

import org.jspecify.annotations.NullMarked;
