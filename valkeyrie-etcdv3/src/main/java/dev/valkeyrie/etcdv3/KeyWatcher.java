package dev.valkeyrie.etcdv3;

import com.google.protobuf.ByteString;
import dev.valkeyrie.etcdv3.rpc.mvcc.Event;
import dev.valkeyrie.etcdv3.rpc.mvcc.KeyValue;
import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.KeyEvent;
import dev.valkeyrie.store.KeyEvent.Kind;
import dev.valkeyrie.store.spi.BufferedWatch;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongPredicate;
import org.jspecify.annotations.Nullable;

/**
 * A watch of one key: its values ({@link #values}: a deletion or expiry is an empty value at the
 * deletion's revision, as on v2) or its events ({@link #events}: a PUT with {@code create_revision
 * == mod_revision} is CREATED, other PUTs MODIFIED, a DELETE is EXPIRED when the key's lease ended,
 * else DELETED).
 */
final class KeyWatcher extends Watcher {
  private static final long[] NO_LEASES = new long[0];

  private final WatchReads reads;
  private final @Nullable BufferedWatch<KVPair> values;
  private final @Nullable BufferedWatch<KeyEvent> events;
  private final KeyValue first;
  private boolean present;
  private long lease;
  private long lastIndex;

  private KeyWatcher(
      Key key,
      String operation,
      BufferedWatch<?> sink,
      @Nullable BufferedWatch<KVPair> values,
      @Nullable BufferedWatch<KeyEvent> events,
      WatchStream stream,
      ExpiryCheck expiry,
      WatchReads reads,
      WatchReads.Read read) {
    super(key, operation, sink, stream, expiry, read.revision());
    this.reads = reads;
    this.values = values;
    this.events = events;
    this.first = read.kvs().get(0);
  }

  @Override
  void begin() {
    present = true;
    lease = first.getLease();
    deliver(Kind.CURRENT, pair(key.name(), first));
  }

  /** A value watch on a key that {@code read} found; {@link #begin} delivers its value. */
  static KeyWatcher values(
      Key key,
      BufferedWatch<KVPair> sink,
      WatchStream stream,
      ExpiryCheck expiry,
      WatchReads reads,
      WatchReads.Read read) {
    return new KeyWatcher(key, "watch", sink, sink, null, stream, expiry, reads, read);
  }

  /** An event watch on a key that {@code read} found; {@link #begin} delivers CURRENT. */
  static KeyWatcher events(
      Key key,
      BufferedWatch<KeyEvent> sink,
      WatchStream stream,
      ExpiryCheck expiry,
      WatchReads reads,
      WatchReads.Read read) {
    return new KeyWatcher(key, "watchEvents", sink, null, sink, stream, expiry, reads, read);
  }

  @Override
  ByteString rangeStart() {
    return key.bytes();
  }

  @Override
  @Nullable ByteString rangeEnd() {
    return null;
  }

  @Override
  boolean wantsPrevKv() {
    return events != null;
  }

  @Override
  String description() {
    return "key '" + key.name() + "'";
  }

  @Override
  long[] deletedLeases(List<Event> revision) {
    if (events == null || !present) {
      return NO_LEASES;
    }
    for (Event e : revision) {
      if (e.getType() == Event.EventType.DELETE) {
        long l = leaseOf(e, lease);
        return l == 0 ? NO_LEASES : new long[] {l};
      }
    }
    return NO_LEASES;
  }

  @Override
  void apply(long revision, List<Event> revisionEvents, LongPredicate expired) {
    // One key changes at most once per revision (etcd refuses a txn naming a key twice).
    for (Event e : revisionEvents) {
      KeyValue kv = e.getKv();
      if (e.getType() == Event.EventType.PUT) {
        present = true;
        lease = kv.getLease();
        deliver(isCreation(kv) ? Kind.CREATED : Kind.MODIFIED, pair(key.name(), kv));
      } else if (present) {
        long l = leaseOf(e, lease);
        present = false;
        lease = 0;
        deliver(
            l != 0 && expired.test(l) ? Kind.EXPIRED : Kind.DELETED,
            new KVPair(key.name(), NO_VALUE, kv.getModRevision()));
      }
    }
  }

  @Override
  void applyRead(WatchReads.Read read) {
    if (!read.exists()) {
      if (present) {
        present = false;
        lease = 0;
        deliver(Kind.DELETED, new KVPair(key.name(), NO_VALUE, read.revision()));
      }
      return;
    }
    KeyValue kv = read.kvs().get(0);
    lease = kv.getLease();
    if (!present || kv.getModRevision() != lastIndex) {
      present = true;
      deliver(Kind.CURRENT, pair(key.name(), kv));
    }
  }

  @Override
  CompletableFuture<WatchReads.Read> readAgain() {
    return reads.keyAgain(key, Op.read(operation, key.name()));
  }

  private void deliver(Kind kind, KVPair pair) {
    lastIndex = pair.lastIndex();
    if (values != null) {
      values.offer(pair);
    } else if (events != null) {
      events.offer(new KeyEvent(kind, pair));
    }
  }
}
