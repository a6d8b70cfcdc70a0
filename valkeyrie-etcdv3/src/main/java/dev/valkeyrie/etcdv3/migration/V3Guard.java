package dev.valkeyrie.etcdv3.migration;

/**
 * A transaction's condition: {@code key}'s {@code mod_revision} equals {@code modRevision} (0: the
 * key does not exist).
 */
public record V3Guard(String key, long modRevision) {}
