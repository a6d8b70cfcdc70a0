package dev.valkeyrie.migrate;

import dev.valkeyrie.etcdv3.migration.V3Entry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What a copy writes: the difference between v2's tree and v3's target range, as this migration may
 * make it good. A key v3 lacks or holds differently (value, or whether it has a TTL) is written; a
 * key v2 no longer has is deleted only when a migration wrote it; a key the migration did not write
 * is foreign (a copy refuses to start over foreign keys unless it merges, and never deletes them).
 */
final class Plan {
  final SourceTree source;
  final List<Change> changes = new ArrayList<>();
  final List<String> foreign = new ArrayList<>();
  final TreeSet<Long> ttls = new TreeSet<>();
  long unchanged;
  long deletes;
  long ttlKeys;
  long bytes;
  List<List<Change>> batches = List.of();

  private Plan(SourceTree source) {
    this.source = source;
  }

  static Plan of(
      SourceTree source, Map<String, V3Entry> target, Bookkeeping.State state, int maxBytes) {
    Plan plan = new Plan(source);
    for (SourceEntry entry : source.entries.values()) {
      V3Entry current = target.get(entry.key());
      if (current != null && !state.wrote(current.modRevision())) {
        plan.foreign.add(entry.key());
      }
      if (current == null) {
        plan.add(Change.put(entry));
      } else if (!Verifier.sameValue(entry, current)
          || (entry.ttl() > 0) != (current.lease() != 0)) {
        plan.add(Change.overwrite(entry));
      } else {
        plan.unchanged++;
      }
    }
    for (V3Entry entry : target.values()) {
      if (source.entries.containsKey(entry.key())) {
        continue;
      }
      if (state.wrote(entry.modRevision())) {
        plan.add(Change.delete(entry.key()));
        plan.deletes++;
      } else {
        plan.foreign.add(entry.key());
      }
    }
    plan.batches = Batches.of(plan.changes, maxBytes);
    return plan;
  }

  private void add(Change change) {
    changes.add(change);
    bytes += change.size();
    if (change.ttl() > 0) {
      ttls.add(change.ttl());
      ttlKeys++;
    }
  }

  long puts() {
    return changes.size() - deletes;
  }

  MigrationPlan summary() {
    return new MigrationPlan(
        source.index,
        source.entries.size() + source.notCopyable.size(),
        puts(),
        deletes,
        unchanged,
        ttlKeys,
        ttls.size(),
        batches.size(),
        bytes,
        foreign.size(),
        source.notCopyable);
  }
}
