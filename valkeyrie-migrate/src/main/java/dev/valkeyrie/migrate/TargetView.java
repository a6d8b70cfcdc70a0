package dev.valkeyrie.migrate;

import dev.valkeyrie.etcdv3.migration.V3Entry;
import dev.valkeyrie.etcdv3.migration.V3Range;
import dev.valkeyrie.etcdv3.migration.V3Writer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The target range in v3 as one read sees it: the prefix's key and every key below it (the whole
 * key space without a prefix), less the migrations' bookkeeping and v3 lock side keys (locks taken
 * on v3 belong to their holders).
 */
final class TargetView {
  final long revision;
  final Map<String, V3Entry> entries = new LinkedHashMap<>();

  private TargetView(long revision) {
    this.revision = revision;
  }

  static TargetView read(V3Writer writer, String prefix) {
    V3Range range = writer.readTree(prefix);
    TargetView view = new TargetView(range.revision());
    for (V3Entry entry : range.entries()) {
      if (!Bookkeeping.isBookkeeping(entry.key()) && !SourceTree.isLockSideKey(entry.key())) {
        view.entries.put(entry.key(), entry);
      }
    }
    return view;
  }
}
