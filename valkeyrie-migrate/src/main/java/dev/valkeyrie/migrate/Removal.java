package dev.valkeyrie.migrate;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.valkeyrie.etcdv3.migration.V3Entry;
import dev.valkeyrie.etcdv3.migration.V3Guard;
import dev.valkeyrie.etcdv3.migration.V3TxnResult;
import dev.valkeyrie.etcdv3.migration.V3Write;
import dev.valkeyrie.etcdv3.migration.V3Writer;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A v2 removal (delete, compareAndDelete, expiry; of a directory: everything below it) applied
 * while following. It deletes only the v3 keys a migration wrote (their {@code mod_revision} is one
 * of its transactions'), each guarded by that revision, so a key written in v3 directly, before or
 * while this runs, is left in place and reported. The deletes go in transactions of at most {@link
 * #MAX_KEYS} keys, all guarded by the state; only the last one records the v2 index, so a follow
 * stopped between them applies the removal again on resume, which deletes what is left.
 */
final class Removal {
  /** Keys per transaction: 128 compares less the state's, 128 ops less the state put, spare 2. */
  static final int MAX_KEYS = V3Writer.MAX_OPS - 3;

  private final V3Writer writer;
  private final Bookkeeping books;
  private final ProgressListener listener;

  Removal(V3Writer writer, Bookkeeping books, ProgressListener listener) {
    this.writer = writer;
    this.books = books;
    this.listener = listener;
  }

  /**
   * Applies {@code change} (a {@code DELETE} or {@code DELETE_TREE}) and records {@code state} in
   * the last transaction; returns that transaction's revision.
   *
   * @param wrote the state the migration's own revisions are read from
   * @param stateRevision the state key's revision, the guard of every transaction
   */
  long apply(Change change, long index, Bookkeeping.State wrote, long stateRevision, String state) {
    while (true) {
      List<V3Entry> ours = new ArrayList<>();
      List<V3Entry> kept = new ArrayList<>();
      for (V3Entry entry : writer.readTree(change.key()).entries()) {
        String key = entry.key();
        if ((change.type() == Change.Type.DELETE && !key.equals(change.key()))
            || Bookkeeping.isBookkeeping(key)
            || SourceTree.isLockSideKey(key)) {
          continue;
        }
        (wrote.wrote(entry.modRevision()) ? ours : kept).add(entry);
      }
      List<List<V3Entry>> chunks = chunks(ours);
      @Nullable V3TxnResult result = null;
      for (int i = 0; i < chunks.size(); i++) {
        boolean last = i == chunks.size() - 1;
        result = txn(chunks.get(i), stateRevision, last ? state : null);
        if (!result.succeeded()) {
          break;
        }
      }
      if (result != null && result.succeeded()) {
        for (V3Entry entry : kept) {
          listener.onForeignKeyKept(
              new Difference(
                  entry.key(),
                  Difference.Kind.EXTRA_IN_TARGET,
                  "v2 removed it at index "
                      + index
                      + "; written in v3 directly (mod_revision "
                      + entry.modRevision()
                      + "), so left in place"));
        }
        return result.revision();
      }
      // Nothing of the failed transaction was applied: the state or one of the keys changed.
      if (books.read(writer).stateRevision() != stateRevision) {
        throw new MigrationConflictException(
            "the migration state '"
                + books.stateKey()
                + "' changed while following (v2 index "
                + index
                + " not applied): another migration of this target runs");
      }
      // A key changed in v3 since it was read (rewritten, or expired): read again.
    }
  }

  private V3TxnResult txn(List<V3Entry> keys, long stateRevision, @Nullable String state) {
    List<V3Guard> guards = new ArrayList<>(keys.size() + 1);
    List<V3Write> writes = new ArrayList<>(keys.size() + 1);
    guards.add(new V3Guard(books.stateKey(), stateRevision));
    for (V3Entry entry : keys) {
      guards.add(new V3Guard(entry.key(), entry.modRevision()));
      writes.add(new V3Write.Delete(entry.key()));
    }
    if (state != null) {
      writes.add(new V3Write.Put(books.stateKey(), state.getBytes(UTF_8), 0));
    }
    return Await.result(writer.txn(guards, writes));
  }

  /** The keys in transactions within the op and byte limits; always one, maybe empty. */
  private List<List<V3Entry>> chunks(List<V3Entry> keys) {
    int budget = writer.maxRequestBytes() - Batches.RECORD_BYTES;
    List<List<V3Entry>> chunks = new ArrayList<>();
    List<V3Entry> current = new ArrayList<>();
    int bytes = 0;
    for (V3Entry entry : keys) {
      // the delete and its guard
      int size = entry.key().length() * 6 + 36;
      if (!current.isEmpty() && (current.size() == MAX_KEYS || bytes + size > budget)) {
        chunks.add(current);
        current = new ArrayList<>();
        bytes = 0;
      }
      current.add(entry);
      bytes += size;
    }
    chunks.add(current);
    return chunks;
  }
}
