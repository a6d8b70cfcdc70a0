package dev.valkeyrie.etcdv3;

import com.google.protobuf.ByteString;
import dev.valkeyrie.etcdv3.rpc.WatchCancelRequest;
import dev.valkeyrie.etcdv3.rpc.WatchCreateRequest;
import dev.valkeyrie.etcdv3.rpc.WatchGrpc;
import dev.valkeyrie.etcdv3.rpc.WatchProgressRequest;
import dev.valkeyrie.etcdv3.rpc.WatchRequest;
import dev.valkeyrie.etcdv3.rpc.WatchResponse;
import dev.valkeyrie.etcdv3.rpc.mvcc.Event;
import dev.valkeyrie.store.AccessDeniedException;
import dev.valkeyrie.store.StoreClosedException;
import dev.valkeyrie.store.StoreException;
import dev.valkeyrie.store.StoreUnavailableException;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The store's one {@code Watch} stream, multiplexing every watch of the store, and moving to
 * another member when its member fails, freezes or loses its leader.
 *
 * <ul>
 *   <li>IDs: each creation of a watch on a stream gets a fresh ID of ours (1, 2, 3, ...; never 0,
 *       which etcd's automatic IDs start at: pitfall 17), mapped to the watch in {@link WatchIds}:
 *       a response is dispatched in O(1), and a response for an ID we gave up (a cancelled or
 *       compacted watch, a watch of an earlier stream) finds nothing and is dropped. Create answers
 *       come in request order; a refused create carries ID -1, so it is matched with the oldest
 *       create still unanswered.
 *   <li>Requests: {@code start_revision} = the watch's {@link Watcher#received} + 1, {@code
 *       fragment} (a response over etcd's request limit comes in parts, joined here before the
 *       watch sees any of it: pitfalls 9, 10), {@code progress_notify} (etcd's per-watch
 *       notifications, every 10 minutes by default, move an idle watch's resume point), and {@code
 *       prev_kv} for event watches (a hint for expiries, never relied on: pitfall 19). The call
 *       layer adds {@code hasleader: true} and the token.
 *   <li>Resume: when the stream errors or ends, every watch is created again on a fresh stream at
 *       {@link CallLayer#preferredMember()} (the failed member is passed over), each from its own
 *       {@code received + 1}; a watch drops revisions it already has. A transient failure therefore
 *       shows only as delay. Retries back off (50 ms doubling to 2 s) while no member serves.
 *   <li>Silence: a stream that has been quiet for half the request timeout is sent a {@code
 *       progress_request}; if nothing at all arrives within another half, the member is taken for
 *       frozen (SIGSTOP, a hung VM: the TCP connection stays open and gRPC's pings would take ~15
 *       s) and the stream moves. A member that lost its leader is left when etcd cancels the stream
 *       ({@code hasleader}: UNAVAILABLE "no leader" after ~3 election timeouts). The answer to a
 *       progress request (ID -1) only proves the stream alive: etcd 3.4 sends it on its control
 *       channel, not ordered with the watches' events (a watch may still be catching up below its
 *       revision), so it never moves a resume point.
 *   <li>Flow control: one response is asked for at a time, after the previous one was handled, so a
 *       watch that falls behind makes etcd hold the events (and catch the watch up from its history
 *       later) instead of this client buffering them without bound.
 *   <li>Auth: a create refused because of the stream's token ("invalid auth token": it expired
 *       while the stream was open; open watches keep delivering, pitfall 33) drops the token and
 *       moves every watch to a fresh stream, which authenticates anew. A create refused with
 *       "permission denied" ends that watch with {@link AccessDeniedException}.
 * </ul>
 *
 * <p>All state is confined to one {@link SerialExecutor} on the store's callback threads: gRPC
 * callbacks, timers and the answers of reads hop onto it. Nothing here blocks.
 */
final class WatchStream implements StoreContext.Resource {
  private static final Logger LOG = System.getLogger(WatchStream.class.getName());

  private static final long NO_PROBE = Long.MIN_VALUE;
  private static final long MIN_BACKOFF = TimeUnit.MILLISECONDS.toNanos(50);
  private static final long MAX_BACKOFF = TimeUnit.SECONDS.toNanos(2);
  private static final long RECREATE_DELAY = TimeUnit.MILLISECONDS.toNanos(100);
  private static final WatchRequest PROGRESS =
      WatchRequest.newBuilder()
          .setProgressRequest(WatchProgressRequest.getDefaultInstance())
          .build();

  /** One creation of a watch on the current stream. */
  static final class Registration {
    final long id;
    final Watcher watcher;
    boolean retired;
    @Nullable List<Event> fragments;

    Registration(long id, Watcher watcher) {
      this.id = id;
      this.watcher = watcher;
    }
  }

  private final CallLayer calls;
  private final StoreTime time;
  private final SerialExecutor serial;
  private final long quietNanos;
  private final long answerNanos;
  private final long tickNanos;

  // Confined to the serial executor.
  private final Set<Watcher> watchers = new LinkedHashSet<>();
  private final WatchIds<Registration> byId = new WatchIds<>();
  private final ArrayDeque<Registration> creating = new ArrayDeque<>();
  private long nextId = 1;
  private volatile @Nullable Connection current; // volatile for streamToken() only
  private @Nullable Future<?> ticker;
  private @Nullable Future<?> reopening;
  private int failures;
  private @Nullable Throwable closed;

  // For tests and figures.
  private volatile @Nullable URI member;
  private final AtomicInteger streamsOpened = new AtomicInteger();
  private final AtomicInteger createsSent = new AtomicInteger();
  private final AtomicInteger fragments = new AtomicInteger();

  WatchStream(StoreContext context) {
    this.calls = context.calls();
    this.time = context.time();
    this.serial = new SerialExecutor(context.callbacks());
    Duration timeout = calls.requestTimeout();
    this.quietNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(200), timeout.toNanos() / 2);
    this.answerNanos = quietNanos;
    this.tickNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(50), quietNanos / 4);
    context.register(this);
  }

  // --- for the watches (any thread) ---

  /** Runs {@code task} on the stream's serial executor. */
  void execute(Runnable task) {
    serial.execute(task);
  }

  /** Runs {@code task} on the serial executor after {@code delayNanos}. */
  void later(Runnable task, long delayNanos) {
    try {
      var unused =
          time.scheduler().schedule(() -> serial.execute(task), delayNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // The store is closing: its watches end with it.
    }
  }

  /** Starts delivering etcd's events to {@code watcher}, from its {@code received + 1}. */
  void add(Watcher watcher) {
    execute(() -> register(watcher));
  }

  /** The consumer closed the watch: stop it on etcd. */
  void remove(Watcher watcher) {
    execute(
        () -> {
          watcher.closed();
          unregister(watcher);
        });
  }

  /** The member the stream is open on, or {@code null} (for tests). */
  @Nullable URI member() {
    return member;
  }

  /** How many streams were opened so far (for tests). */
  int streamsOpened() {
    return streamsOpened.get();
  }

  /** How many watch creations were sent so far (for tests). */
  int createsSent() {
    return createsSent.get();
  }

  /** How many fragments (responses with {@code fragment} set) arrived so far (for tests). */
  int fragmentsReceived() {
    return fragments.get();
  }

  /** The token the open stream was opened with, or {@code null} (for tests). */
  @Nullable String streamToken() {
    Connection conn = current;
    return conn == null ? null : conn.stream.usedToken();
  }

  // --- on the serial executor ---

  /** Creates {@code watcher} on the stream (opening one if needed), unless it ended. */
  void register(Watcher watcher) {
    if (closed != null) {
      watcher.end(closed);
      return;
    }
    if (watcher.ended) {
      return;
    }
    watchers.add(watcher);
    if (watcher.resyncing || watcher.registration != null) {
      return;
    }
    Connection conn = current;
    if (conn == null) {
      if (reopening == null) {
        open();
      }
      return;
    }
    create(conn, watcher);
  }

  /** Ends {@code watcher} for good with {@code cause}. */
  void end(Watcher watcher, Throwable cause) {
    watcher.end(cause);
    unregister(watcher);
  }

  private void unregister(Watcher watcher) {
    watchers.remove(watcher);
    Registration reg = watcher.registration;
    if (reg != null) {
      retire(reg, true);
    }
    if (watchers.isEmpty()) {
      closeStream("no watch left");
    }
  }

  private void create(Connection conn, Watcher watcher) {
    long id = nextId++;
    Registration reg = new Registration(id, watcher);
    byId.put(id, reg);
    creating.add(reg);
    watcher.registration = reg;
    WatchCreateRequest.Builder create =
        WatchCreateRequest.newBuilder()
            .setKey(watcher.rangeStart())
            .setStartRevision(watcher.received + 1)
            .setWatchId(id)
            .setFragment(true)
            .setProgressNotify(true)
            .setPrevKv(watcher.wantsPrevKv());
    ByteString end = watcher.rangeEnd();
    if (end != null) {
      create.setRangeEnd(end);
    }
    conn.stream.send(WatchRequest.newBuilder().setCreateRequest(create).build());
    createsSent.incrementAndGet();
  }

  /** Gives up {@code reg}'s ID; its later responses are dropped. */
  private void retire(Registration reg, boolean cancelOnEtcd) {
    if (reg.retired) {
      return;
    }
    reg.retired = true;
    reg.fragments = null;
    byId.remove(reg.id);
    if (reg.watcher.registration == reg) {
      reg.watcher.registration = null;
    }
    Connection conn = current;
    if (cancelOnEtcd && conn != null) {
      conn.stream.send(
          WatchRequest.newBuilder()
              .setCancelRequest(WatchCancelRequest.newBuilder().setWatchId(reg.id))
              .build());
    }
  }

  /** Every registration belongs to the stream that just ended. */
  private void retireAll() {
    for (Watcher w : watchers) {
      Registration reg = w.registration;
      if (reg != null) {
        reg.retired = true;
        w.registration = null;
      }
    }
    byId.clear();
    creating.clear();
  }

  private void open() {
    reopening = null;
    if (closed != null || watchers.isEmpty() || current != null) {
      return;
    }
    URI to = calls.preferredMember();
    Connection conn = new Connection(to);
    try {
      conn.stream = calls.openStream(to, WatchGrpc.getWatchMethod(), conn);
    } catch (StoreClosedException e) {
      return; // the store is closing: shutdown ends the watches
    } catch (RuntimeException e) {
      LOG.log(Level.DEBUG, () -> "watch stream to " + to + " not opened: " + Errors.describe(e));
      failures++;
      calls.memberFailed(to);
      scheduleReopen();
      return;
    }
    current = conn;
    member = to;
    streamsOpened.incrementAndGet();
    LOG.log(
        Level.DEBUG,
        () -> "watch stream opened on " + to + " for " + watchers.size() + " watch(es)");
    for (Watcher w : watchers) {
      if (!w.resyncing && !w.ended && w.registration == null) {
        create(conn, w);
      }
    }
    if (ticker == null) {
      try {
        ticker =
            time.scheduler()
                .scheduleWithFixedDelay(
                    () -> serial.execute(this::tick), tickNanos, tickNanos, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        // The store is closing.
      }
    }
  }

  private void scheduleReopen() {
    if (reopening != null || closed != null || watchers.isEmpty()) {
      return;
    }
    long delay = 0;
    if (failures > 1) {
      long backoff = Math.min(MAX_BACKOFF, MIN_BACKOFF << Math.min(16, failures - 2));
      delay = backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
    }
    try {
      reopening =
          time.scheduler().schedule(() -> serial.execute(this::open), delay, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // The store is closing.
    }
  }

  private void closeStream(String why) {
    Connection conn = current;
    current = null;
    member = null;
    if (conn != null) {
      conn.stream.cancel(why);
    }
    retireAll();
    if (ticker != null) {
      ticker.cancel(false);
      ticker = null;
    }
    if (reopening != null) {
      reopening.cancel(false);
      reopening = null;
    }
  }

  /** The stream failed, ended, or went silent: move every watch to a fresh one. */
  private void ended(Connection conn, Status status) {
    if (conn != current) {
      return;
    }
    current = null;
    member = null;
    conn.stream.cancel("moving the watch stream off " + conn.member);
    retireAll();
    if (closed != null) {
      return;
    }
    StoreException authFailure = Auth.authenticationFailure(status);
    if (authFailure != null && !(authFailure instanceof StoreUnavailableException)) {
      // Our own authentication failed for good (a wrong password): no stream can work.
      for (Watcher w : new ArrayList<>(watchers)) {
        end(w, authFailure);
      }
      return;
    }
    if (CallLayer.isTokenRefused(status)) {
      calls.tokenRefused(conn.stream);
    } else {
      calls.memberFailed(conn.member);
    }
    if (!conn.served) {
      failures++;
      if (failures % Math.max(1, calls.endpoints().size()) == 0) {
        calls.clusterUnavailable();
      }
    }
    LOG.log(
        Level.DEBUG,
        () ->
            "watch stream to "
                + conn.member
                + " ended ("
                + status.getCode()
                + " "
                + Errors.description(status)
                + "); resuming "
                + watchers.size()
                + " watch(es) on another member");
    scheduleReopen();
  }

  private void received(Connection conn, WatchResponse response) {
    if (conn != current) {
      return; // a stream we left
    }
    conn.probeSentAt = NO_PROBE;
    if (!conn.served) {
      conn.served = true;
      failures = 0;
      calls.memberServed(conn.member);
    }
    try {
      if (response.getCreated()) {
        created(conn, response);
      } else if (response.getCanceled()) {
        canceled(response);
      } else if (response.getWatchId() != -1) {
        delivered(response);
      }
      // else: the answer to a progress request; it only shows that the stream is alive.
    } finally {
      conn.lastProcessed = time.now();
      if (conn == current) {
        conn.requestNext();
      }
    }
  }

  private void created(Connection conn, WatchResponse response) {
    Registration reg = creating.poll();
    if (reg == null) {
      LOG.log(
          Level.WARNING,
          () ->
              "etcd answered a watch creation that was not asked for: ID " + response.getWatchId());
      return;
    }
    if (!response.getCanceled()) {
      if (response.getWatchId() != reg.id) {
        LOG.log(
            Level.WARNING,
            () -> "etcd answered watch creation " + reg.id + " with ID " + response.getWatchId());
      }
      if (!reg.retired) {
        reg.watcher.tokenRetries = 0;
      }
      return;
    }
    if (reg.retired) {
      return;
    }
    refused(conn, reg, response.getCancelReason());
  }

  /** etcd refused to create {@code reg}'s watch (the answer carries ID -1 and a reason). */
  private void refused(Connection conn, Registration reg, String reason) {
    retire(reg, false);
    Watcher w = reg.watcher;
    boolean token =
        reason.contains("invalid auth token")
            || reason.contains("auth store is old")
            || reason.contains("user name is empty");
    if (token && calls.user() != null && w.tokenRetries < 2) {
      // The stream's token expired while it was open (open watches go on: pitfall 33). Drop it
      // and move every watch to a stream that authenticates anew.
      w.tokenRetries++;
      LOG.log(
          Level.DEBUG,
          () ->
              w.operation
                  + " "
                  + w.description()
                  + ": etcd refused the watch"
                  + " stream's token ("
                  + reason
                  + "); authenticating again on a fresh stream");
      calls.tokenRefused(conn.stream);
      current = null;
      member = null;
      conn.stream.cancel("the watch stream's token was refused");
      retireAll();
      scheduleReopen();
      return;
    }
    String who = calls.user() == null ? "anonymous access" : "user '" + calls.user() + "'";
    if (reason.contains("permission denied") || token) {
      end(
          w,
          new AccessDeniedException(
              w.operation
                  + " '"
                  + w.key.name()
                  + "' refused for "
                  + who
                  + ": no permission to read it ("
                  + reason
                  + ")"));
      return;
    }
    end(w, new StoreException(w.operation + " '" + w.key.name() + "' refused by etcd: " + reason));
  }

  private void canceled(WatchResponse response) {
    Registration reg = byId.get(response.getWatchId());
    if (reg == null) {
      return; // the answer to our own cancel
    }
    Watcher w = reg.watcher;
    if (response.getCompactRevision() > 0) {
      retire(reg, true); // etcd keeps a compacted watch's ID until it is cancelled
      w.compacted(response.getCompactRevision());
      return;
    }
    retire(reg, false);
    String reason = response.getCancelReason();
    if (reason.contains("permission denied")) {
      end(
          w,
          new AccessDeniedException(
              w.operation + " '" + w.key.name() + "' ended by etcd: " + reason));
      return;
    }
    LOG.log(
        Level.DEBUG,
        () ->
            w.operation
                + " "
                + w.description()
                + ": etcd cancelled the watch ("
                + reason
                + "); creating it again");
    later(() -> register(w), RECREATE_DELAY);
  }

  private void delivered(WatchResponse response) {
    Registration reg = byId.get(response.getWatchId());
    if (reg == null) {
      return; // a watch given up
    }
    if (response.getFragment()) {
      fragments.incrementAndGet();
      List<Event> parts = reg.fragments;
      if (parts == null) {
        parts = new ArrayList<>();
        reg.fragments = parts;
      }
      parts.addAll(response.getEventsList());
      return;
    }
    List<Event> events = response.getEventsList();
    List<Event> parts = reg.fragments;
    if (parts != null) {
      parts.addAll(events);
      events = parts;
      reg.fragments = null;
    }
    Watcher w = reg.watcher;
    if (events.isEmpty()) {
      w.progress(response.getHeader().getRevision());
      return;
    }
    try {
      w.events(events);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, () -> w.operation + " " + w.description() + " failed", e);
      end(
          w,
          new StoreException(
              w.operation + " '" + w.key.name() + "' failed: " + Errors.describe(e), e));
    }
  }

  /** Probes a quiet stream; leaves one that did not answer. */
  private void tick() {
    Connection conn = current;
    if (conn == null) {
      return;
    }
    long now = time.now();
    long arrival = conn.lastArrival;
    long heard = arrival - conn.lastProcessed > 0 ? arrival : conn.lastProcessed;
    if (conn.probeSentAt == NO_PROBE) {
      if (now - heard >= quietNanos) {
        conn.probeSentAt = now;
        conn.stream.send(PROGRESS);
      }
    } else if (heard - conn.probeSentAt >= 0) {
      conn.probeSentAt = NO_PROBE; // something came since the probe
    } else if (now - conn.probeSentAt >= answerNanos) {
      long silent = TimeUnit.NANOSECONDS.toMillis(now - heard);
      ended(
          conn,
          Status.UNAVAILABLE.withDescription(
              "etcd at "
                  + conn.member
                  + " sent nothing for "
                  + silent
                  + " ms, not even the answer to a progress request"));
    }
  }

  @Override
  public CompletableFuture<?> shutdown(Throwable cause) {
    CompletableFuture<@Nullable Void> done = new CompletableFuture<>();
    Runnable stop =
        () -> {
          if (closed == null) {
            closed = cause;
            List<Watcher> all = new ArrayList<>(watchers);
            watchers.clear();
            closeStream("the store is closing");
            for (Watcher w : all) {
              w.end(cause);
            }
          }
          done.complete(null);
        };
    try {
      serial.execute(stop);
    } catch (RuntimeException e) {
      stop.run();
    }
    return done;
  }

  /** One stream to one member, and what it has been heard of. */
  private final class Connection implements ClientResponseObserver<WatchRequest, WatchResponse> {
    final URI member;

    // Set right after the stream is opened, before any callback can run on the serial executor;
    // NullAway cannot see that open() assigns it before anything reads it.
    @SuppressWarnings("NullAway.Init")
    MemberStream<WatchRequest> stream;

    private volatile @Nullable ClientCallStreamObserver<WatchRequest> requests;
    volatile long lastArrival;
    long lastProcessed;
    long probeSentAt = NO_PROBE;
    boolean served;

    Connection(URI member) {
      this.member = member;
      long now = time.now();
      this.lastArrival = now;
      this.lastProcessed = now;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<WatchRequest> requestStream) {
      requests = requestStream;
      requestStream.disableAutoRequestWithInitial(1);
    }

    void requestNext() {
      ClientCallStreamObserver<WatchRequest> r = requests;
      if (r != null) {
        r.request(1);
      }
    }

    @Override
    public void onNext(WatchResponse response) {
      lastArrival = time.now();
      serial.execute(() -> received(this, response));
    }

    @Override
    public void onError(Throwable failure) {
      Status status = Status.fromThrowable(failure);
      serial.execute(() -> ended(this, status));
    }

    @Override
    public void onCompleted() {
      serial.execute(
          () ->
              ended(
                  this,
                  Status.UNAVAILABLE.withDescription(
                      "etcd at " + member + " ended the watch stream")));
    }
  }
}
