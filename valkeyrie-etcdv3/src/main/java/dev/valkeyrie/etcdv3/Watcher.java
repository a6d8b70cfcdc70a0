package dev.valkeyrie.etcdv3;

import com.google.protobuf.ByteString;
import dev.valkeyrie.etcdv3.rpc.mvcc.Event;
import dev.valkeyrie.etcdv3.rpc.mvcc.KeyValue;
import dev.valkeyrie.store.AccessDeniedException;
import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.spi.BufferedWatch;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import org.jspecify.annotations.Nullable;

/**
 * One watch: what it watches, how far it has got, and how it turns etcd's events into updates for
 * its consumer ({@link KeyWatcher}, {@link TreeWatcher}).
 *
 * <ul>
 *   <li>{@link #received} is the revision up to which the watch has every event: the read it
 *       started from, then each revision it accepted (or a progress notification of its own). Every
 *       (re)creation on a stream starts at {@code received + 1}, and a revision at or below it is
 *       dropped, so no event is missed or delivered twice (pitfall 18).
 *   <li>A response's events are applied revision by revision, only once complete (the stream
 *       reassembles fragments, pitfall 10).
 *   <li>An event watch that sees a key of a lease deleted asks {@link ExpiryCheck} whether that was
 *       the lease's expiry; the watch's later revisions wait behind the answer, so its consumer
 *       still sees every change in revision order. Value and snapshot watches never ask (a deletion
 *       and an expiry look the same to them).
 *   <li>After a compaction it reads its key or directory again, hands the consumer what changed
 *       meanwhile, and continues from the read's revision + 1 (pitfall 20).
 * </ul>
 *
 * <p>Built in the caller's thread, which delivers the first update; from then on every method runs
 * on the {@link WatchStream}'s serial executor.
 */
abstract class Watcher {
  private static final Logger LOG = System.getLogger(Watcher.class.getName());

  static final byte[] NO_VALUE = new byte[0];
  static final LongPredicate NONE_EXPIRED = lease -> false;

  private static final long MIN_REREAD_BACKOFF = TimeUnit.MILLISECONDS.toNanos(100);
  private static final long MAX_REREAD_BACKOFF = TimeUnit.SECONDS.toNanos(2);

  final Key key;

  /** The store operation, for messages and reads: {@code watch}, {@code watchTree}, ... */
  final String operation;

  final BufferedWatch<?> sink;
  private final WatchStream stream;
  private final ExpiryCheck expiry;

  // Owned by the stream's serial executor from registration on.
  long received;
  WatchStream.@Nullable Registration registration;
  boolean resyncing;
  boolean ended;
  int tokenRetries;
  private final ArrayDeque<Object> held = new ArrayDeque<>();
  private boolean waiting;
  private long rereadBackoff = MIN_REREAD_BACKOFF;

  /** A revision held back behind an expiry check. */
  private record HeldRevision(long revision, List<Event> events) {}

  /** A re-read held back behind an expiry check. */
  private record HeldRead(WatchReads.Read read) {}

  Watcher(
      Key key,
      String operation,
      BufferedWatch<?> sink,
      WatchStream stream,
      ExpiryCheck expiry,
      long readRevision) {
    this.key = key;
    this.operation = operation;
    this.sink = sink;
    this.stream = stream;
    this.expiry = expiry;
    this.received = readRevision;
  }

  // --- what is watched ---

  /** The watch request's {@code key}. */
  abstract ByteString rangeStart();

  /** The watch request's {@code range_end}, or {@code null} for the one key. */
  abstract @Nullable ByteString rangeEnd();

  /** Whether the watch asks for {@code prev_kv} (a hint for expiries; never relied on). */
  abstract boolean wantsPrevKv();

  /** "key 'a/b'" or "directory 'd'", for messages. */
  abstract String description();

  // --- what the subclasses do ---

  /** Delivers the first update, from the read (in the caller's thread, before registration). */
  abstract void begin();

  /**
   * The leases of the keys that {@code events} (one revision) delete and that the consumer must be
   * told apart (expired or deleted); an empty array when there is nothing to ask.
   */
  abstract long[] deletedLeases(List<Event> events);

  /** Applies one complete revision, in order. */
  abstract void apply(long revision, List<Event> events, LongPredicate expired);

  /** Applies a re-read: what changed since the consumer's view. */
  abstract void applyRead(WatchReads.Read read);

  /** Starts the re-read. */
  abstract CompletableFuture<WatchReads.Read> readAgain();

  /** The end of a batch of changes (a response, a re-read): snapshot watches publish here. */
  void flush() {}

  // --- from the stream ---

  /** A complete response's events (fragments reassembled), in revision order. */
  final void events(List<Event> events) {
    int n = events.size();
    int start = 0;
    while (start < n && !ended) {
      long revision = events.get(start).getKv().getModRevision();
      int end = start + 1;
      while (end < n && events.get(end).getKv().getModRevision() == revision) {
        end++;
      }
      accept(revision, start == 0 && end == n ? events : events.subList(start, end));
      start = end;
    }
    if (!ended) {
      flush();
    }
  }

  /**
   * A progress notification of this watch's own (etcd sends those only while the watch has every
   * event up to {@code revision}). Never called for the stream-wide answer to a progress request:
   * that one is not ordered with the events (see {@link WatchStream}).
   */
  final void progress(long revision) {
    if (revision > received) {
      received = revision;
    }
  }

  /** etcd compacted past {@link #received}: read again, then continue from that read. */
  final void compacted(long compactRevision) {
    LOG.log(
        Level.DEBUG,
        () ->
            operation
                + " "
                + description()
                + ": etcd compacted its history to"
                + " revision "
                + compactRevision
                + ", past the watch's revision "
                + received
                + "; reading it again");
    resyncing = true;
    reread();
  }

  /** Ends the watch for good with {@code cause}; the consumer sees the queued updates first. */
  final void end(Throwable cause) {
    if (!ended) {
      ended = true;
      held.clear();
      sink.fail(cause);
    }
  }

  /** The consumer closed the watch. */
  final void closed() {
    ended = true;
    held.clear();
  }

  // --- the pipeline ---

  private void accept(long revision, List<Event> events) {
    if (revision <= received) {
      return; // already delivered: a resumed watch's first revision, say
    }
    received = revision;
    if (waiting || !held.isEmpty()) {
      held.add(new HeldRevision(revision, events));
      return;
    }
    process(revision, events);
  }

  private void process(long revision, List<Event> events) {
    long[] leases = deletedLeases(events);
    if (leases.length == 0) {
      apply(revision, events, NONE_EXPIRED);
      return;
    }
    waiting = true;
    @SuppressWarnings("unchecked")
    CompletableFuture<Boolean>[] answers =
        (CompletableFuture<Boolean>[]) new CompletableFuture<?>[leases.length];
    for (int i = 0; i < leases.length; i++) {
      answers[i] = expiry.expired(leases[i], revision, key.name());
    }
    var unused =
        CompletableFuture.allOf(answers)
            .whenComplete(
                (ignored, failure) ->
                    stream.execute(
                        () -> {
                          waiting = false;
                          if (ended) {
                            return;
                          }
                          apply(
                              revision,
                              events,
                              lease -> {
                                for (int i = 0; i < leases.length; i++) {
                                  if (leases[i] == lease) {
                                    return answers[i].getNow(false);
                                  }
                                }
                                return false;
                              });
                          drain();
                          if (!ended) {
                            flush();
                          }
                        }));
  }

  private void drain() {
    while (!waiting && !ended && !held.isEmpty()) {
      Object step = held.poll();
      if (step instanceof HeldRevision r) {
        process(r.revision(), r.events());
      } else if (step instanceof HeldRead r) {
        applyRead(r.read());
      }
    }
  }

  private void reread() {
    if (ended) {
      return;
    }
    CompletableFuture<WatchReads.Read> read;
    try {
      read = readAgain();
    } catch (RuntimeException e) {
      stream.execute(() -> reread(null, e));
      return;
    }
    var unused = read.whenComplete((r, failure) -> stream.execute(() -> reread(r, failure)));
  }

  private void reread(WatchReads.@Nullable Read read, @Nullable Throwable failure) {
    if (ended) {
      return;
    }
    if (read == null || read.revision() < received) {
      Throwable cause = failure == null ? null : Errors.unwrap(failure);
      if (cause instanceof AccessDeniedException) {
        stream.end(this, cause);
        return;
      }
      long delay = rereadBackoff / 2 + ThreadLocalRandom.current().nextLong(rereadBackoff / 2 + 1);
      rereadBackoff = Math.min(MAX_REREAD_BACKOFF, rereadBackoff * 2);
      LOG.log(
          Level.DEBUG,
          () ->
              operation
                  + " "
                  + description()
                  + ": reading it again failed ("
                  + (cause == null
                      ? "read at revision "
                          + (read == null ? "?" : read.revision())
                          + " is older than the watch's "
                          + received
                      : Errors.describe(cause))
                  + "); trying again in "
                  + TimeUnit.NANOSECONDS.toMillis(delay)
                  + " ms");
      stream.later(this::reread, delay);
      return;
    }
    rereadBackoff = MIN_REREAD_BACKOFF;
    received = read.revision();
    if (waiting || !held.isEmpty()) {
      held.add(new HeldRead(read));
    } else {
      applyRead(read);
      flush();
    }
    resyncing = false;
    stream.register(this);
  }

  // --- helpers for the subclasses ---

  /** The lease a deleted key was attached to: {@code prev_kv}'s if etcd sent it, else ours. */
  static long leaseOf(Event deletion, long known) {
    return deletion.hasPrevKv() ? deletion.getPrevKv().getLease() : known;
  }

  static KVPair pair(String name, KeyValue kv) {
    return new KVPair(name, kv.getValue().toByteArray(), kv.getModRevision());
  }

  static boolean isCreation(KeyValue kv) {
    return kv.getCreateRevision() == kv.getModRevision();
  }
}
