package dev.valkeyrie.migrate;

import dev.valkeyrie.etcdv3.migration.V3Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a copy's writes into transactions as large as etcd takes: at most 125 writes plus the
 * batch record, and at most the request limit less room for the record. etcd counts a nested txn (a
 * directory's put-if-absent: 1 operation, a tree delete: 2) against what the outer txn leaves of
 * the 128 (its check gives a nested txn {@code 128 - outer ops}), so a full batch keeps 2 spare.
 */
final class Batches {
  /** Writes per batch: 128 less the batch record and 2 for the largest nested txn. */
  static final int MAX_WRITES = V3Writer.MAX_OPS - 3;

  /** Room for a batch record or the state in a transaction, with framing. */
  static final int RECORD_BYTES = 512;

  private Batches() {}

  static int size(SourceEntry entry) {
    return entry.key().length() * 3 + entry.value().length + 24;
  }

  static List<List<Change>> of(List<Change> changes, int maxRequestBytes) {
    int budget = maxRequestBytes - RECORD_BYTES;
    List<List<Change>> batches = new ArrayList<>();
    List<Change> current = new ArrayList<>();
    int bytes = 0;
    for (Change change : changes) {
      int size = change.size();
      if (!current.isEmpty() && (current.size() == MAX_WRITES || bytes + size > budget)) {
        batches.add(current);
        current = new ArrayList<>();
        bytes = 0;
      }
      current.add(change);
      bytes += size;
    }
    if (!current.isEmpty()) {
      batches.add(current);
    }
    return batches;
  }
}
