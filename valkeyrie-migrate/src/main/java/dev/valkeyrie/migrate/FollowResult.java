package dev.valkeyrie.migrate;

/**
 * How {@link Migration#follow()} ended.
 *
 * @param appliedIndex the last v2 index applied to v3 (and recorded there)
 * @param changesApplied changes applied by this call
 * @param reconciliations times the follow fell behind etcd's 1,000-event history and re-read
 */
public record FollowResult(long appliedIndex, long changesApplied, long reconciliations) {}
