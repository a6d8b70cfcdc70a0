package dev.valkeyrie.migrate;

import dev.valkeyrie.etcdv2.migration.V2Event;
import dev.valkeyrie.etcdv2.migration.V2Node;
import dev.valkeyrie.etcdv3.migration.V3Writer;
import dev.valkeyrie.store.InvalidKeyException;
import java.util.ArrayList;
import java.util.List;

/**
 * The v3 writes of one v2 change. A removal (delete, compareAndDelete, expire) deletes the key, or
 * for a directory the key and everything below it, of those keys a migration wrote ({@link
 * Removal}; idempotent: v2's expiry races v3's lease). A write puts the node (a directory as the
 * empty value) with a lease for its TTL, and the directories above it up to the prefix where they
 * are missing, since v2 creates them without an event. Lock side keys and keys v3 cannot take give
 * no writes.
 */
final class EventChanges {
  private EventChanges() {}

  static List<Change> of(V2Event event, String prefix, V3Writer writer) {
    V2Node node = event.node();
    String key = node.key();
    if (key.isEmpty() || SourceTree.isLockSideKey(key)) {
      return List.of();
    }
    try {
      writer.checkKey(key);
    } catch (InvalidKeyException e) {
      return List.of();
    }
    if (event.isRemoval()) {
      return List.of(node.dir() ? Change.deleteTree(key) : Change.delete(key));
    }
    List<Change> changes = new ArrayList<>();
    int from = prefix.isEmpty() ? 0 : prefix.length();
    if (!prefix.isEmpty() && !key.equals(prefix)) {
      changes.add(Change.directory(prefix));
    }
    for (int slash = key.indexOf('/', from + 1); slash > 0; slash = key.indexOf('/', slash + 1)) {
      changes.add(Change.directory(key.substring(0, slash)));
    }
    byte[] value = node.dir() || node.value() == null ? new byte[0] : node.value();
    SourceEntry entry = new SourceEntry(key, value, node.dir(), Math.max(0, node.ttl()));
    if (Batches.size(entry) > writer.maxRequestBytes() - Batches.RECORD_BYTES) {
      return List.of();
    }
    changes.add(Change.overwrite(entry));
    return changes;
  }
}
