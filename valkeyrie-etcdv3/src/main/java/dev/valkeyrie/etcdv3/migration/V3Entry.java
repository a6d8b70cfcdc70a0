package dev.valkeyrie.etcdv3.migration;

/**
 * One v3 key as read.
 *
 * @param key the key's name as the v3 backend returns it
 * @param lease its lease ID, 0 for none
 */
// The bytes as read or to write: carried, never compared or hashed as records.
@SuppressWarnings("ArrayRecordComponent")
public record V3Entry(String key, byte[] value, long modRevision, long lease) {}
