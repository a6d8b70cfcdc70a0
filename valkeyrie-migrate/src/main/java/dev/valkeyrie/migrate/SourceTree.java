package dev.valkeyrie.migrate;

import dev.valkeyrie.etcdv2.migration.V2Node;
import dev.valkeyrie.etcdv2.migration.V2Snapshot;
import dev.valkeyrie.etcdv3.migration.V3Writer;
import dev.valkeyrie.store.InvalidKeyException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A v2 snapshot flattened into what v3 should hold: every key and every directory (as the key with
 * an empty value), lock side keys left out (locks are taken anew on v3), and the keys v3 cannot
 * take set aside with the reason.
 */
final class SourceTree {
  static final String LOCK_SUFFIX = "___lock";

  final long index;
  final Map<String, SourceEntry> entries = new LinkedHashMap<>();
  final List<String> notCopyable = new ArrayList<>();

  private SourceTree(long index) {
    this.index = index;
  }

  static SourceTree of(V2Snapshot snapshot, String prefix, V3Writer writer) {
    SourceTree tree = new SourceTree(snapshot.index());
    V2Node root = snapshot.root();
    if (root == null) {
      return tree;
    }
    int limit = writer.maxRequestBytes() - Batches.RECORD_BYTES;
    List<V2Node> pending = new ArrayList<>();
    if (prefix.isEmpty()) {
      pending.addAll(root.nodes());
    } else {
      pending.add(root);
    }
    while (!pending.isEmpty()) {
      V2Node node = pending.remove(pending.size() - 1);
      if (isLockSideKey(node.key())) {
        continue;
      }
      tree.add(node, writer, limit);
      if (node.dir()) {
        List<V2Node> children = node.nodes();
        for (int i = children.size() - 1; i >= 0; i--) {
          pending.add(children.get(i));
        }
      }
    }
    return tree;
  }

  /** Whether a name is, or lies below, a lock's side key {@code <key>___lock}. */
  static boolean isLockSideKey(String key) {
    int end = key.indexOf(LOCK_SUFFIX);
    while (end >= 0) {
      int after = end + LOCK_SUFFIX.length();
      if (after == key.length() || key.charAt(after) == '/') {
        return true;
      }
      end = key.indexOf(LOCK_SUFFIX, after);
    }
    return false;
  }

  private void add(V2Node node, V3Writer writer, int limit) {
    byte[] value = node.dir() || node.value() == null ? new byte[0] : node.value();
    try {
      writer.checkKey(node.key());
    } catch (InvalidKeyException e) {
      notCopyable.add(node.key() + ": " + e.getMessage());
      return;
    }
    SourceEntry entry = new SourceEntry(node.key(), value, node.dir(), Math.max(0, node.ttl()));
    if (Batches.size(entry) > limit) {
      notCopyable.add(
          node.key() + ": a value of " + value.length + " bytes is over etcd v3's request limit");
      return;
    }
    entries.put(node.key(), entry);
  }
}
