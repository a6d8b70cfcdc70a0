package dev.valkeyrie.etcdv3;

import com.google.protobuf.ByteString;
import dev.valkeyrie.etcdv3.rpc.KVGrpc;
import dev.valkeyrie.etcdv3.rpc.RangeRequest;
import dev.valkeyrie.etcdv3.rpc.RangeResponse;
import dev.valkeyrie.etcdv3.rpc.WatchCancelRequest;
import dev.valkeyrie.etcdv3.rpc.WatchCreateRequest;
import dev.valkeyrie.etcdv3.rpc.WatchGrpc;
import dev.valkeyrie.etcdv3.rpc.WatchProgressRequest;
import dev.valkeyrie.etcdv3.rpc.WatchRequest;
import dev.valkeyrie.etcdv3.rpc.WatchResponse;
import dev.valkeyrie.etcdv3.rpc.mvcc.Event;
import dev.valkeyrie.etcdv3.rpc.mvcc.KeyValue;
import dev.valkeyrie.store.AccessDeniedException;
import dev.valkeyrie.store.StoreClosedException;
import dev.valkeyrie.store.StoreException;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The locks' own watch stream: ONE {@code Watch} stream per store, private to the lock part (the
 * store's general watches are another part), multiplexing one watcher per lock wait. A waiter
 * watches its predecessor's key until it is deleted; a holder watches its own key, to learn that
 * someone else deleted or overwrote it. Each watcher is one key from a revision at which the key
 * was seen, so nothing between that read and the watch is missed.
 *
 * <ul>
 *   <li>Watch IDs are ours (from 1; 0 is etcd's auto ID, pitfall 17); create replies come in
 *       request order, so a refused create ({@code watch_id -1}) is matched to its request.
 *   <li>A stream that fails moves to the next member and re-creates every watcher from its start
 *       revision. A stream that stays silent ({@link #SILENCE_NANOS} after a progress request) is
 *       given up the same way: a frozen member answers nothing and reports no error (pitfall 14).
 *   <li>A watcher whose start revision was compacted (pitfall 20), or that etcd cancelled, reads
 *       the key instead: gone (or re-created, or on another lease) ends the wait, otherwise it
 *       watches again from the read's revision + 1.
 *   <li>A watcher that etcd refused for lack of permission fails with {@link
 *       AccessDeniedException}; closing the store fails every wait with {@link
 *       StoreClosedException}.
 * </ul>
 *
 * <p>Thread-safe. Completions run on the store's callback threads; they must not block.
 */
final class LockWatches implements StoreContext.Resource {
  private static final Logger LOG = System.getLogger(LockWatches.class.getName());

  /**
   * How often an open stream with watchers is checked: a progress request is sent if none is
   * outstanding (one small message per second per store while it has lock waits or holdings).
   */
  static final long PROBE_PERIOD_NANOS = TimeUnit.SECONDS.toNanos(1);

  /**
   * A stream that answers nothing this long after a progress request is given up (progress is
   * answered by the member itself, without raft: only a frozen or overloaded member is this slow).
   * A frozen member is left 4 to 6 s after it froze, well before gRPC's keep-alive pings would
   * notice (about 15 s).
   */
  static final long SILENCE_NANOS = TimeUnit.SECONDS.toNanos(4);

  /** An idle stream (no watcher) is closed after this long. */
  private static final long IDLE_LINGER_NANOS = TimeUnit.SECONDS.toNanos(10);

  private static final long MAX_REOPEN_DELAY_NANOS = TimeUnit.SECONDS.toNanos(2);

  private final StoreContext context;
  private final CallLayer calls;
  private final StoreTime time;
  private final AtomicLong endsSeen = new AtomicLong();
  private final AtomicLong rereads = new AtomicLong();
  // Guarded by this.
  private final Map<Long, Watcher> watchers = new HashMap<>();
  private final Queue<Long> pendingCreates = new ArrayDeque<>();
  private long nextId = 1;
  private @Nullable MemberStream<WatchRequest> stream;
  private @Nullable Responses responses;
  private long probeSentAt = -1;
  private int failuresInARow;
  private @Nullable Future<?> probe;
  private @Nullable Future<?> idle;
  private @Nullable Future<?> reopen;
  private boolean closed;

  LockWatches(StoreContext context) {
    this.context = context;
    this.calls = context.calls();
    this.time = context.time();
    context.register(this);
  }

  /** A wait for a key to end; see {@link #awaitEnd}. */
  interface Wait {
    /**
     * Completes when the key ended; fails with {@link StoreClosedException}, {@link
     * AccessDeniedException} or another {@link StoreException} if it cannot be watched.
     */
    CompletableFuture<Void> ended();

    /** Stops waiting (idempotent); {@link #ended()} then never completes normally. */
    void cancel();
  }

  /**
   * Waits until {@code key}, which existed with {@code createRevision} at revision {@code seenAt},
   * is deleted after {@code seenAt} (by a delete, an expired or revoked lease), or, when {@code
   * leaseId} is not 0, is overwritten by someone else (a put that leaves it on another lease, or
   * re-creates it).
   */
  Wait awaitEnd(ByteString key, long createRevision, long leaseId, long seenAt) {
    Watcher watcher = new Watcher(key, createRevision, leaseId, seenAt + 1);
    synchronized (this) {
      if (closed) {
        watcher.ended.completeExceptionally(closedException());
        return watcher;
      }
      cancelTask(idle);
      idle = null;
      watcher.id = nextId++;
      watchers.put(watcher.id, watcher);
      if (stream != null) {
        create(stream, watcher);
      } else if (reopen == null) {
        openStream();
      }
    }
    return watcher;
  }

  /** How many watchers are open (for tests). */
  synchronized int watching() {
    return watchers.size();
  }

  /** How many waits have ended because their key ended (for tests: no herd). */
  long endsSeen() {
    return endsSeen.get();
  }

  /** How many watchers had to read their key instead (compacted, or cancelled by etcd). */
  long rereads() {
    return rereads.get();
  }

  // --- the stream ---

  /** Called with the lock held. */
  private void openStream() {
    URI member = calls.preferredMember();
    Responses observer = new Responses();
    MemberStream<WatchRequest> opened;
    try {
      opened = calls.openStream(member, WatchGrpc.getWatchMethod(), observer);
    } catch (StoreClosedException e) {
      return; // shutdown() fails the watchers
    }
    observer.stream = opened;
    stream = opened;
    responses = observer;
    pendingCreates.clear();
    probeSentAt = -1;
    for (Watcher watcher : watchers.values()) {
      create(opened, watcher);
    }
    if (probe == null) {
      probe = schedule(this::probe, PROBE_PERIOD_NANOS);
    }
  }

  /** Called with the lock held. */
  private void create(MemberStream<WatchRequest> on, Watcher watcher) {
    WatchCreateRequest.Builder create =
        WatchCreateRequest.newBuilder()
            .setKey(watcher.key)
            .setStartRevision(watcher.startRevision)
            .setWatchId(watcher.id);
    if (watcher.leaseId == 0) {
      create.addFilters(WatchCreateRequest.FilterType.NOPUT);
    }
    pendingCreates.add(watcher.id);
    on.send(WatchRequest.newBuilder().setCreateRequest(create).build());
  }

  /** Called with the lock held. */
  private void cancelOnStream(long id) {
    MemberStream<WatchRequest> open = stream;
    if (open != null) {
      open.send(
          WatchRequest.newBuilder()
              .setCancelRequest(WatchCancelRequest.newBuilder().setWatchId(id))
              .build());
    }
  }

  /** Every {@link #PROBE_PERIOD_NANOS} while a stream is open: is its member still answering? */
  private void probe() {
    MemberStream<WatchRequest> silent = null;
    synchronized (this) {
      probe = null;
      if (closed || stream == null) {
        return;
      }
      long now = time.now();
      if (probeSentAt >= 0 && now - probeSentAt >= SILENCE_NANOS) {
        silent = stream;
      } else if (!watchers.isEmpty()) {
        if (probeSentAt < 0) {
          probeSentAt = now;
          stream.send(
              WatchRequest.newBuilder()
                  .setProgressRequest(WatchProgressRequest.getDefaultInstance())
                  .build());
        }
      }
      if (silent == null) {
        probe = schedule(this::probe, PROBE_PERIOD_NANOS);
      }
    }
    if (silent != null) {
      MemberStream<WatchRequest> given = silent;
      LOG.log(
          Level.DEBUG,
          () ->
              "lock watch stream to "
                  + given.member()
                  + " silent for "
                  + TimeUnit.NANOSECONDS.toSeconds(SILENCE_NANOS)
                  + " s; moving to another member");
      failed(silent, null);
    }
  }

  /** The stream ended or went silent: pass its member over and re-create every watcher. */
  private void failed(MemberStream<WatchRequest> ended, @Nullable Status status) {
    synchronized (this) {
      if (stream != ended) {
        return;
      }
      stream = null;
      responses = null;
      pendingCreates.clear();
      ended.cancel("moving the lock watch stream off " + ended.member());
      if (status != null && CallLayer.isTokenRefused(status)) {
        calls.tokenRefused(ended);
      } else {
        calls.memberFailed(ended.member());
      }
      if (closed || watchers.isEmpty()) {
        return;
      }
      long delay =
          failuresInARow == 0
              ? 0
              : Math.min(
                  MAX_REOPEN_DELAY_NANOS,
                  TimeUnit.MILLISECONDS.toNanos(100) << Math.min(failuresInARow, 5));
      failuresInARow++;
      reopen =
          schedule(
              () -> {
                synchronized (this) {
                  reopen = null;
                  if (!closed && stream == null && !watchers.isEmpty()) {
                    openStream();
                  }
                }
              },
              delay);
    }
    LOG.log(
        Level.DEBUG,
        () ->
            "lock watch stream to "
                + ended.member()
                + " ended ("
                + (status == null ? "silent" : status.getCode() + " " + Errors.description(status))
                + "); watching on another member");
  }

  private void answered(Responses from, WatchResponse response) {
    List<Watcher> ended = new ArrayList<>();
    List<Watcher> recheck = new ArrayList<>();
    @Nullable Watcher refused = null;
    MemberStream<WatchRequest> on;
    synchronized (this) {
      if (responses != from || stream == null) {
        return;
      }
      on = stream;
      probeSentAt = -1;
      failuresInARow = 0;
      if (response.getCreated()) {
        Long id = pendingCreates.poll();
        Watcher watcher = id == null ? null : watchers.get(id);
        if (watcher != null && response.getCanceled()) {
          watchers.remove(watcher.id);
          if (response.getCompactRevision() > 0 || !isPermissionDenied(response)) {
            recheck.add(watcher);
          } else {
            refused = watcher;
          }
        }
      } else if (response.getCanceled()) {
        Watcher watcher = watchers.remove(response.getWatchId());
        if (watcher != null) {
          recheck.add(watcher); // compacted, or cancelled by etcd: read the key instead
        }
      } else if (response.getWatchId() != -1) {
        Watcher watcher = watchers.get(response.getWatchId());
        if (watcher != null && watcher.endedBy(response.getEventsList())) {
          watchers.remove(watcher.id);
          cancelOnStream(watcher.id);
          ended.add(watcher);
        }
      }
      idleIfEmpty();
    }
    calls.memberServed(on.member());
    for (Watcher watcher : ended) {
      endsSeen.incrementAndGet();
      watcher.ended.complete(null);
    }
    for (Watcher watcher : recheck) {
      reread(watcher);
    }
    if (refused != null) {
      refused.ended.completeExceptionally(
          new AccessDeniedException(
              "lock wait on '"
                  + Key.nameOf(refused.key)
                  + "' refused for "
                  + who()
                  + ": no permission to watch it ("
                  + response.getCancelReason()
                  + ")"));
    }
  }

  private static boolean isPermissionDenied(WatchResponse response) {
    return response.getCancelReason().contains("permission denied");
  }

  private String who() {
    String user = context.user();
    return user == null ? "anonymous access" : "user '" + user + "'";
  }

  /**
   * The watcher cannot go on from its start revision: read the key; if it still is what the watcher
   * waits on, watch again from the read's revision.
   */
  private void reread(Watcher watcher) {
    rereads.incrementAndGet();
    RangeRequest read = RangeRequest.newBuilder().setKey(watcher.key).setKeysOnly(true).build();
    var unused =
        calls
            .send(KVGrpc.getRangeMethod(), read, Op.read("lock wait", Key.nameOf(watcher.key)))
            .whenComplete(
                (RangeResponse response, @Nullable Throwable failure) -> {
                  if (watcher.cancelled) {
                    return;
                  }
                  if (failure != null) {
                    Throwable cause = Errors.unwrap(failure);
                    if (cause instanceof StoreClosedException
                        || cause instanceof AccessDeniedException) {
                      watcher.ended.completeExceptionally(cause);
                    } else {
                      // The cluster is not answering: try again from where the watcher was.
                      var unusedRetry =
                          schedule(() -> reread(watcher), TimeUnit.MILLISECONDS.toNanos(500));
                    }
                    return;
                  }
                  if (response.getKvsCount() == 0 || !watcher.isTheSame(response.getKvs(0))) {
                    endsSeen.incrementAndGet();
                    watcher.ended.complete(null);
                    return;
                  }
                  synchronized (this) {
                    if (watcher.cancelled) {
                      return;
                    }
                    if (closed) {
                      watcher.ended.completeExceptionally(closedException());
                      return;
                    }
                    watcher.startRevision = response.getHeader().getRevision() + 1;
                    watcher.id = nextId++;
                    watchers.put(watcher.id, watcher);
                    cancelTask(idle);
                    idle = null;
                    if (stream != null) {
                      create(stream, watcher);
                    } else if (reopen == null) {
                      openStream();
                    }
                  }
                });
  }

  private synchronized void cancelWatcher(Watcher watcher) {
    watcher.cancelled = true;
    if (watchers.remove(watcher.id, watcher)) {
      cancelOnStream(watcher.id);
    }
    idleIfEmpty();
  }

  /** Called with the lock held: no watcher left, close the stream unless one comes soon. */
  private void idleIfEmpty() {
    if (!watchers.isEmpty() || idle != null || stream == null) {
      return;
    }
    idle =
        schedule(
            () -> {
              MemberStream<WatchRequest> toClose;
              synchronized (this) {
                idle = null;
                if (!watchers.isEmpty() || stream == null) {
                  return;
                }
                toClose = stream;
                stream = null;
                responses = null;
                pendingCreates.clear();
                cancelTask(probe);
                probe = null;
              }
              toClose.cancel("no lock waits");
            },
            IDLE_LINGER_NANOS);
  }

  /** Called with the lock held or not; null if the store is closing. */
  private @Nullable Future<?> schedule(Runnable task, long delayNanos) {
    try {
      return time.scheduler().schedule(task, delayNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      return null;
    }
  }

  private static void cancelTask(@Nullable Future<?> task) {
    if (task != null) {
      task.cancel(false);
    }
  }

  private StoreClosedException closedException() {
    return new StoreClosedException("the etcd v3 store " + context + " is closed");
  }

  @Override
  public CompletableFuture<?> shutdown(Throwable cause) {
    List<Watcher> all;
    MemberStream<WatchRequest> open;
    synchronized (this) {
      closed = true;
      all = new ArrayList<>(watchers.values());
      watchers.clear();
      open = stream;
      stream = null;
      responses = null;
      cancelTask(probe);
      cancelTask(idle);
      cancelTask(reopen);
    }
    if (open != null) {
      open.cancel("the store is closing");
    }
    StoreClosedException closedFailure = closedException();
    for (Watcher watcher : all) {
      watcher.ended.completeExceptionally(closedFailure);
    }
    return CompletableFuture.completedFuture(null);
  }

  /** Hears one stream. */
  private final class Responses implements StreamObserver<WatchResponse> {
    volatile @Nullable MemberStream<WatchRequest> stream;

    @Override
    public void onNext(WatchResponse response) {
      answered(this, response);
    }

    @Override
    public void onError(Throwable failure) {
      MemberStream<WatchRequest> from = stream;
      if (from != null) {
        failed(from, Status.fromThrowable(failure));
      }
    }

    @Override
    public void onCompleted() {
      MemberStream<WatchRequest> from = stream;
      if (from != null) {
        failed(from, Status.UNAVAILABLE.withDescription("the member ended the stream"));
      }
    }
  }

  /** One key waited on. */
  private final class Watcher implements Wait {
    final ByteString key;
    final long createRevision;
    final long leaseId;
    final CompletableFuture<Void> ended = new CompletableFuture<>();
    // Guarded by LockWatches.this.
    long id;
    long startRevision;
    volatile boolean cancelled;

    Watcher(ByteString key, long createRevision, long leaseId, long startRevision) {
      this.key = key;
      this.createRevision = createRevision;
      this.leaseId = leaseId;
      this.startRevision = startRevision;
    }

    /** Whether one of these events ends the key as this watcher knew it. */
    boolean endedBy(List<Event> events) {
      for (Event event : events) {
        if (!event.getKv().getKey().equals(key)) {
          continue;
        }
        if (event.getType() == Event.EventType.DELETE) {
          return true;
        }
        if (leaseId != 0 && !isTheSame(event.getKv())) {
          return true;
        }
      }
      return false;
    }

    /** Whether {@code kv} is still the key this watcher waits on. */
    boolean isTheSame(KeyValue kv) {
      return kv.getCreateRevision() == createRevision && (leaseId == 0 || kv.getLease() == leaseId);
    }

    @Override
    public CompletableFuture<Void> ended() {
      return ended;
    }

    @Override
    public void cancel() {
      cancelWatcher(this);
    }

    @Override
    public String toString() {
      return "LockWatch[" + Key.nameOf(key) + " from " + startRevision + "]";
    }
  }
}
