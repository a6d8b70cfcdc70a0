package dev.valkeyrie.migrate;

/**
 * A v2 key or directory as it goes to v3.
 *
 * @param key the name both backends read it under
 * @param value its bytes; empty for a directory (how the v3 backend represents one)
 * @param ttl remaining seconds of the node's own TTL, 0 for none
 */
// The bytes as read or to write: carried, never compared or hashed as records.
@SuppressWarnings("ArrayRecordComponent")
record SourceEntry(String key, byte[] value, boolean dir, long ttl) {}
