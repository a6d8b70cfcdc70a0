package dev.valkeyrie.etcdv3;

import com.google.protobuf.ByteString;
import dev.valkeyrie.etcdv3.rpc.mvcc.Event;
import dev.valkeyrie.etcdv3.rpc.mvcc.KeyValue;
import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.KeyEvent;
import dev.valkeyrie.store.KeyEvent.Kind;
import dev.valkeyrie.store.spi.BufferedWatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongPredicate;
import org.jspecify.annotations.Nullable;

/**
 * A watch of a directory: the entries {@code [d/, d0)} as {@code list} gives them (lock side keys
 * left out), kept up to date from the events alone, never by reading the tree again (except after a
 * compaction). The work per response is proportional to its events: each change updates a
 * persistent {@link Listing} in O(log n).
 *
 * <p>{@link #snapshots}: the whole listing after each response that changed it (one listing per
 * response however many revisions it holds; a consumer that falls behind gets the latest, and the
 * listings it skipped were never copied). {@link #events}: one {@link KeyEvent} per changed key, a
 * {@code deleteTree} being one DELETED per key.
 */
final class TreeWatcher extends Watcher {
  private static final long[] NO_LEASES = new long[0];

  private final WatchReads reads;
  private final @Nullable BufferedWatch<List<KVPair>> snapshots;
  private final @Nullable BufferedWatch<KeyEvent> events;
  private Listing entries;
  private boolean changed;

  private TreeWatcher(
      Key directory,
      String operation,
      BufferedWatch<?> sink,
      @Nullable BufferedWatch<List<KVPair>> snapshots,
      @Nullable BufferedWatch<KeyEvent> events,
      WatchStream stream,
      ExpiryCheck expiry,
      WatchReads reads,
      WatchReads.Read read) {
    super(directory, operation, sink, stream, expiry, read.revision());
    this.reads = reads;
    this.snapshots = snapshots;
    this.events = events;
    this.entries = listing(read);
  }

  @Override
  void begin() {
    if (snapshots != null) {
      snapshots.offer(entries.asList());
    } else if (events != null) {
      for (Iterator<Listing.Node> it = entries.iterator(); it.hasNext(); ) {
        events.offer(new KeyEvent(Kind.CURRENT, it.next().pair));
      }
    }
  }

  /** A snapshot watch of a directory read by {@code read}; {@link #begin} delivers the listing. */
  static TreeWatcher snapshots(
      Key directory,
      BufferedWatch<List<KVPair>> sink,
      WatchStream stream,
      ExpiryCheck expiry,
      WatchReads reads,
      WatchReads.Read read) {
    return new TreeWatcher(directory, "watchTree", sink, sink, null, stream, expiry, reads, read);
  }

  /**
   * An event watch of a directory read by {@code read}; {@link #begin} delivers CURRENT for each
   * entry.
   */
  static TreeWatcher events(
      Key directory,
      BufferedWatch<KeyEvent> sink,
      WatchStream stream,
      ExpiryCheck expiry,
      WatchReads reads,
      WatchReads.Read read) {
    return new TreeWatcher(
        directory, "watchTreeEvents", sink, null, sink, stream, expiry, reads, read);
  }

  @Override
  ByteString rangeStart() {
    return key.childrenStart();
  }

  @Override
  ByteString rangeEnd() {
    return key.childrenEnd();
  }

  @Override
  boolean wantsPrevKv() {
    return events != null;
  }

  @Override
  String description() {
    return "directory '" + key.name() + "'";
  }

  @Override
  long[] deletedLeases(List<Event> revision) {
    if (events == null) {
      return NO_LEASES;
    }
    long[] leases = NO_LEASES;
    int count = 0;
    for (Event e : revision) {
      if (e.getType() != Event.EventType.DELETE) {
        continue;
      }
      Listing.Node known = entries.find(e.getKv().getKey());
      if (known == null) {
        continue;
      }
      long lease = leaseOf(e, known.lease);
      if (lease == 0 || contains(leases, count, lease)) {
        continue;
      }
      if (count == leases.length) {
        leases = Arrays.copyOf(leases, Math.max(2, count * 2));
      }
      leases[count++] = lease;
    }
    return count == leases.length ? leases : Arrays.copyOf(leases, count);
  }

  private static boolean contains(long[] leases, int count, long lease) {
    for (int i = 0; i < count; i++) {
      if (leases[i] == lease) {
        return true;
      }
    }
    return false;
  }

  @Override
  void apply(long revision, List<Event> revisionEvents, LongPredicate expired) {
    for (Event e : revisionEvents) {
      KeyValue kv = e.getKv();
      ByteString k = kv.getKey();
      if (e.getType() == Event.EventType.PUT) {
        String name = Key.nameOf(k);
        if (Key.isLockSideKey(name)) {
          continue;
        }
        KVPair pair = pair(name, kv);
        entries = entries.with(k, pair, kv.getLease());
        changed = true;
        if (events != null) {
          events.offer(new KeyEvent(isCreation(kv) ? Kind.CREATED : Kind.MODIFIED, pair));
        }
      } else {
        Listing.Node known = entries.find(k);
        if (known == null) {
          continue; // a lock side key, or one the consumer never saw
        }
        entries = entries.without(k);
        changed = true;
        if (events != null) {
          long lease = leaseOf(e, known.lease);
          events.offer(
              new KeyEvent(
                  lease != 0 && expired.test(lease) ? Kind.EXPIRED : Kind.DELETED,
                  new KVPair(known.pair.key(), NO_VALUE, kv.getModRevision())));
        }
      }
    }
  }

  @Override
  void applyRead(WatchReads.Read read) {
    Listing now = listing(read);
    // Both are in etcd's order: walk them together.
    Iterator<Listing.Node> before = entries.iterator();
    Iterator<Listing.Node> after = now.iterator();
    Listing.Node b = before.hasNext() ? before.next() : null;
    Listing.Node a = after.hasNext() ? after.next() : null;
    while (b != null || a != null) {
      int c = b == null ? 1 : a == null ? -1 : Listing.ORDER.compare(b.key, a.key);
      // c < 0 only with a b, c > 0 only with an a, c == 0 only with both: the null checks only
      // say so to NullAway.
      if (c < 0 && b != null) {
        changed(Kind.DELETED, new KVPair(b.pair.key(), NO_VALUE, read.revision()));
        b = before.hasNext() ? before.next() : null;
      } else if (c > 0 && a != null) {
        changed(Kind.CURRENT, a.pair);
        a = after.hasNext() ? after.next() : null;
      } else if (b != null && a != null) {
        if (b.pair.lastIndex() != a.pair.lastIndex()) {
          changed(Kind.CURRENT, a.pair);
        }
        b = before.hasNext() ? before.next() : null;
        a = after.hasNext() ? after.next() : null;
      } else {
        throw new IllegalStateException("tree listing walk lost its place");
      }
    }
    entries = now;
  }

  private void changed(Kind kind, KVPair pair) {
    changed = true;
    if (events != null) {
      events.offer(new KeyEvent(kind, pair));
    }
  }

  @Override
  CompletableFuture<WatchReads.Read> readAgain() {
    return reads.treeAgain(key, Op.read(operation, key.name()));
  }

  @Override
  void flush() {
    if (changed && snapshots != null) {
      snapshots.offer(entries.asList());
    }
    changed = false;
  }

  /** The listing of a read: its entries without lock side keys. */
  private static Listing listing(WatchReads.Read read) {
    List<Listing.Node> nodes = new ArrayList<>(read.kvs().size());
    for (KeyValue kv : read.kvs()) {
      String name = Key.nameOf(kv.getKey());
      if (!Key.isLockSideKey(name)) {
        nodes.add(Listing.entry(kv.getKey(), pair(name, kv), kv.getLease()));
      }
    }
    return Listing.ofSorted(nodes);
  }
}
