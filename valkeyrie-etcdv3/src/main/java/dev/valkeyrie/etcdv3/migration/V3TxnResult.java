package dev.valkeyrie.etcdv3.migration;

/**
 * A transaction's answer.
 *
 * @param succeeded whether its guards held and its writes were applied
 * @param revision the store revision after it: the {@code mod_revision} of every key it wrote
 */
public record V3TxnResult(boolean succeeded, long revision) {}
