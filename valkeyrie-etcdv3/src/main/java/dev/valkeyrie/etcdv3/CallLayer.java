package dev.valkeyrie.etcdv3;

import dev.valkeyrie.store.StoreClosedException;
import dev.valkeyrie.store.StoreException;
import dev.valkeyrie.store.StoreUnavailableException;
import dev.valkeyrie.store.spi.ConnectionMonitor;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptors;
import io.grpc.Deadline;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Every request of a store goes through here: the one place that decides which member a request
 * goes to, when it may move to another member, and what a failure means (the retry rule).
 *
 * <ul>
 *   <li>A request starts at the preferred member ({@link Endpoints}) and ends within the request
 *       timeout, whatever the members do: every attempt has a gRPC deadline.
 *   <li>A read ({@link Op.Kind#READ}) or an idempotent request moves on after UNAVAILABLE,
 *       DEADLINE_EXCEEDED, UNKNOWN or a broken connection, each attempt getting its share of the
 *       time left so a frozen member cannot eat it all.
 *   <li>A write ({@link Op.Kind#WRITE}) moves on only if it certainly was not sent ({@link
 *       SentTracer}: no stream was created on a connection) or etcd said it did nothing ("no
 *       leader" from the {@code hasleader} check). A write that is still waiting for a connection
 *       when its share of the time is up is cancelled, unsent, and moves on. Otherwise it fails
 *       with {@link StoreUnavailableException#outcomeUnknown()} true, and is never resent.
 *   <li>A refused token is replaced once per request ({@link Auth}), and the request resent to the
 *       same member: etcd checks the token before it applies anything.
 *   <li>Every call carries {@code hasleader: true}, so a member without a leader refuses at once
 *       (UNAVAILABLE "no leader", nothing applied) instead of after 7 s (pitfalls 21, 23).
 * </ul>
 *
 * <p>Thread-safe. Asynchronous results complete on the store's callback threads; nothing here
 * blocks except {@link #call}, which blocks its caller only and runs its call's gRPC callbacks in
 * that thread ({@link CallerRuns}). Stores without credentials put no {@code CallCredentials} on
 * their calls.
 */
final class CallLayer {
  static final Metadata.Key<String> HAS_LEADER =
      Metadata.Key.of("hasleader", Metadata.ASCII_STRING_MARSHALLER);

  private static final Executor DIRECT = Runnable::run;

  private final Endpoints endpoints;
  private final Channels channels;
  private final StoreTime time;
  private final Duration requestTimeout;
  private final ConnectionMonitor monitor;
  private final Auth auth;
  private final Executor callbacks;
  private final BooleanSupplier closed;
  private final String closedMessage;

  CallLayer(
      Endpoints endpoints,
      Channels channels,
      StoreTime time,
      Duration requestTimeout,
      ConnectionMonitor monitor,
      Auth auth,
      Executor callbacks,
      BooleanSupplier closed,
      String closedMessage) {
    this.endpoints = endpoints;
    this.channels = channels;
    this.time = time;
    this.requestTimeout = requestTimeout;
    this.monitor = monitor;
    this.auth = auth;
    this.callbacks = callbacks;
    this.closed = closed;
    this.closedMessage = closedMessage;
  }

  Endpoints endpoints() {
    return endpoints;
  }

  Duration requestTimeout() {
    return requestTimeout;
  }

  /** The configured user name, for messages; {@code null} when anonymous. */
  @Nullable String user() {
    return auth.username();
  }

  /**
   * Sends {@code request} and waits for the answer in the calling thread, within the request
   * timeout, moving across members as the retry rule allows.
   *
   * @throws StoreException the mapped failure ({@link Errors})
   */
  <Q, R> R call(MethodDescriptor<Q, R> method, Q request, Op op) {
    CallerRuns executor = new CallerRuns();
    Attempts<Q, R> attempts =
        new Attempts<>(method, request, op, requestTimeout, true, null, executor);
    try {
      attempts.start();
      executor.runUntil(attempts.result);
      return attempts.result.get();
    } catch (InterruptedException e) {
      attempts.interrupt();
      // The interrupted attempt's failure is what we report, below, once its call has ended.
      executor.runUntilUninterruptibly(
          attempts.result, requestTimeout.toNanos() + TimeUnit.SECONDS.toNanos(1));
      Thread.currentThread().interrupt();
      throw Errors.interrupted(op, attempts.member, op.isWrite() && attempts.maybeSent);
    } catch (ExecutionException e) {
      Throwable cause = Errors.unwrap(e);
      if (cause instanceof StoreException s) {
        throw s;
      }
      throw new StoreException(op.what() + " failed: " + Errors.describe(cause), cause);
    }
  }

  /**
   * Sends {@code request} without blocking, as {@link #call} does. The future completes on the
   * store's callback threads, failing with the mapped {@link StoreException}; cancelling it cancels
   * the request (a write's outcome is then unknown).
   */
  <Q, R> CompletableFuture<R> send(MethodDescriptor<Q, R> method, Q request, Op op) {
    return send(method, request, op, requestTimeout);
  }

  /** {@link #send(MethodDescriptor, Object, Op)} within {@code timeout}. */
  <Q, R> CompletableFuture<R> send(
      MethodDescriptor<Q, R> method, Q request, Op op, Duration timeout) {
    Attempts<Q, R> attempts = new Attempts<>(method, request, op, timeout, false, null, DIRECT);
    attempts.start();
    return attempts.result;
  }

  /**
   * Sends {@code request} to {@code member} only, once, within {@code timeout}: for asking one
   * particular member (is it still serving?). Failures are not reported to the connection monitor
   * or the member list: the caller decides what they mean.
   */
  <Q, R> CompletableFuture<R> sendTo(
      URI member, MethodDescriptor<Q, R> method, Q request, Op op, Duration timeout) {
    Attempts<Q, R> attempts = new Attempts<>(method, request, op, timeout, false, member, DIRECT);
    attempts.start();
    return attempts.result;
  }

  /**
   * Opens a bidirectional stream to {@code member}, with the store's token and {@code hasleader:
   * true}, delivering to {@code responses} on the store's callback threads (one at a time, in
   * order). The stream has no deadline: gRPC keep-alive pings end it when the connection dies, and
   * the owner decides when a silent member is frozen. When it fails with a refused token ({@link
   * #isTokenRefused}), call {@link #tokenRefused} before opening the next.
   *
   * @throws StoreClosedException if the store is closed
   */
  <Q, R> MemberStream<Q> openStream(
      URI member, MethodDescriptor<Q, R> method, StreamObserver<R> responses) {
    checkOpen();
    ManagedChannel channel = channels(member);
    Metadata headers = new Metadata();
    headers.put(HAS_LEADER, "true");
    AtomicReference<@Nullable String> used = new AtomicReference<>();
    CallOptions options =
        auth.hasCredentials()
            ? CallOptions.DEFAULT.withCallCredentials(auth).withOption(Auth.USED, used)
            : CallOptions.DEFAULT;
    ClientCall<Q, R> call =
        ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers))
            .newCall(method, options);
    StreamObserver<Q> requests = ClientCalls.asyncBidiStreamingCall(call, responses);
    return new MemberStream<>(member, (ClientCallStreamObserver<Q>) requests, used);
  }

  /** How many times the store authenticated (for tests). */
  int authentications() {
    return auth.authentications();
  }

  /** Whether a stream or call failed because etcd refused its token. */
  static boolean isTokenRefused(Status status) {
    return Auth.isTokenRefused(status) || Auth.isTokenMissing(status);
  }

  /** The stream's token was refused: the next stream or call authenticates anew. */
  void tokenRefused(MemberStream<?> stream) {
    auth.refused(stream.usedToken());
  }

  /** The member a request or stream should go to now. */
  URI preferredMember() {
    return endpoints.preferred();
  }

  /** The member to try after {@code member}. */
  URI memberAfter(URI member) {
    return endpoints.after(member);
  }

  /** {@code member} failed a stream or a request of the caller's: pass it over for a while. */
  void memberFailed(URI member) {
    endpoints.failed(member);
  }

  /** {@code member} served a stream or request of the caller's. */
  void memberServed(URI member) {
    endpoints.succeeded(member);
    monitor.succeeded();
  }

  /** Reports to the connection monitor that no member could serve the caller. */
  void clusterUnavailable() {
    monitor.failed();
  }

  private ManagedChannel channels(URI member) {
    try {
      return channels.channel(member);
    } catch (IllegalStateException e) {
      throw new StoreClosedException(closedMessage);
    }
  }

  private void checkOpen() {
    if (closed.getAsBoolean()) {
      throw new StoreClosedException(closedMessage);
    }
  }

  /** This attempt's share of the time left, when others may follow it. */
  private long share(long deadline, int attemptsLeft) {
    if (attemptsLeft <= 1) {
      return deadline;
    }
    long now = time.now();
    long remaining = deadline - now;
    return remaining <= 0 ? deadline : now + remaining / attemptsLeft;
  }

  /** The attempts of one request, one member after another. */
  private final class Attempts<Q, R> {
    private final MethodDescriptor<Q, R> method;
    private final Q request;
    private final Op op;
    private final boolean blocking;
    private final @Nullable URI only;
    private final Executor executor;
    private final long deadline;
    final CompletableFuture<R> result = new CompletableFuture<>();
    // Written by one attempt at a time (each starts after the previous one ended).
    volatile URI member;
    volatile boolean maybeSent;
    private volatile int attemptsLeft;
    private volatile boolean reauthenticated;
    private volatile boolean interrupted;
    private volatile @Nullable ClientCall<Q, R> current;

    Attempts(
        MethodDescriptor<Q, R> method,
        Q request,
        Op op,
        Duration timeout,
        boolean blocking,
        @Nullable URI only,
        Executor executor) {
      this.method = method;
      this.executor = executor;
      this.request = request;
      this.op = op;
      this.blocking = blocking;
      this.only = only;
      this.deadline = time.now() + timeout.toNanos();
      this.member = only != null ? only : endpoints.preferred();
      this.attemptsLeft = only != null ? 1 : endpoints.size();
      var unused =
          result.whenComplete(
              (r, e) -> {
                if (e instanceof java.util.concurrent.CancellationException) {
                  ClientCall<Q, R> call = current;
                  if (call != null) {
                    call.cancel("cancelled by the store", null);
                  }
                }
              });
    }

    void start() {
      if (closed.getAsBoolean()) {
        fail(new StoreClosedException(closedMessage));
        return;
      }
      ManagedChannel channel;
      try {
        channel = channels.channel(member);
      } catch (IllegalStateException e) {
        fail(new StoreClosedException(closedMessage));
        return;
      }
      URI target = member;
      SentTracer tracer = new SentTracer();
      AtomicReference<@Nullable String> used = new AtomicReference<>();
      long attemptDeadline = op.resendable() ? share(deadline, attemptsLeft) : deadline;
      long now = time.now();
      CallOptions options =
          CallOptions.DEFAULT
              .withDeadline(
                  Deadline.after(Math.max(0, attemptDeadline - now), TimeUnit.NANOSECONDS))
              .withExecutor(executor);
      if (op.isWrite()) {
        // Whether it may have been sent matters for writes only (reads are resent regardless).
        options = options.withStreamTracerFactory(tracer);
      }
      if (auth.hasCredentials()) {
        // Without credentials there is no token to send: no credentials step on the call's path.
        options = options.withCallCredentials(auth).withOption(Auth.USED, used);
      }
      ClientCall<Q, R> call = channel.newCall(method, options);
      current = call;
      // A write waits for its connection no longer than a read's share: unsent, it may move on.
      Future<?> watchdog = null;
      if (!op.resendable() && attemptsLeft > 1) {
        long startBy = share(deadline, attemptsLeft);
        try {
          watchdog =
              time.scheduler()
                  .schedule(
                      () -> {
                        if (!tracer.mayHaveBeenSent()) {
                          call.cancel("not started on " + target + " in time", null);
                        }
                      },
                      Math.max(0, startBy - now),
                      TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
          // The store is closing; the call ends with it.
        }
      }
      Future<?> stopWatching = watchdog;
      Metadata headers = new Metadata();
      headers.put(HAS_LEADER, "true");
      call.start(
          new ClientCall.Listener<R>() {
            private @Nullable R response;

            @Override
            public void onMessage(R message) {
              response = message;
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
              if (stopWatching != null) {
                stopWatching.cancel(false);
              }
              ended(target, status, response, tracer.mayHaveBeenSent(), used.get());
            }
          },
          headers);
      call.request(1);
      call.sendMessage(request);
      call.halfClose();
      if (interrupted) {
        call.cancel("interrupted", null);
      }
    }

    void interrupt() {
      interrupted = true;
      ClientCall<Q, R> call = current;
      if (call != null) {
        call.cancel("interrupted", null);
      }
    }

    // attemptsLeft-- is not a race: one attempt runs at a time (see the fields), so it has one
    // writer at a time, and volatile is only for visibility to the next attempt's thread.
    @SuppressWarnings("NonAtomicVolatileUpdate")
    private void ended(
        URI target, Status status, @Nullable R response, boolean sent, @Nullable String usedToken) {
      maybeSent |= sent;
      if (status.isOk() && response != null) {
        if (only == null) {
          endpoints.succeeded(target);
          monitor.succeeded();
        }
        complete(response);
        return;
      }
      if (closed.getAsBoolean()) {
        fail(new StoreClosedException(closedMessage));
        return;
      }
      if (interrupted) {
        fail(Errors.interrupted(op, target, op.isWrite() && maybeSent));
        return;
      }
      if ((Auth.isTokenRefused(status) || Auth.isTokenMissing(status))
          && auth.hasCredentials()
          && !reauthenticated) {
        // etcd checks the token before it does anything: the same request again is safe.
        reauthenticated = true;
        auth.refused(usedToken);
        maybeSent = false;
        start();
        return;
      }
      StoreException authFailure = Auth.authenticationFailure(status);
      if (authFailure != null && !(authFailure instanceof StoreUnavailableException)) {
        // Wrong password, say: nothing was sent. The message names this request's key.
        fail(
            authFailure instanceof dev.valkeyrie.store.AccessDeniedException
                ? new dev.valkeyrie.store.AccessDeniedException(
                    op.what() + " refused: " + authFailure.getMessage(), authFailure)
                : authFailure);
        return;
      }
      Errors.Failure failure =
          authFailure != null ? Errors.Failure.UNAVAILABLE : Errors.classify(status);
      if (failure == Errors.Failure.ANSWER) {
        if (only == null) {
          endpoints.succeeded(target);
          monitor.succeeded();
        }
        fail(Errors.of(status, op, auth.username()));
        return;
      }
      boolean applied = op.isWrite() && sent && failure != Errors.Failure.REFUSED;
      if (!applied) {
        maybeSent = false; // this attempt did nothing; earlier ones were resendable too
      }
      boolean mayMoveOn = op.resendable() || !applied;
      if (only == null) {
        endpoints.failed(target);
      }
      if (mayMoveOn && attemptsLeft > 1 && deadline - time.now() > 0) {
        attemptsLeft--;
        member = endpoints.after(target);
        start();
        return;
      }
      if (only == null) {
        monitor.failed();
      }
      if (authFailure != null) {
        fail(
            Errors.notSent(
                op,
                "could not authenticate with etcd at " + target + ": " + authFailure.getMessage(),
                authFailure));
        return;
      }
      fail(Errors.unavailable(status, op, target, applied));
    }

    private void complete(R response) {
      if (blocking) {
        result.complete(response);
      } else {
        hop(() -> result.complete(response));
      }
    }

    private void fail(StoreException failure) {
      if (blocking) {
        result.completeExceptionally(failure);
      } else {
        hop(() -> result.completeExceptionally(failure));
      }
    }

    private void hop(Runnable completion) {
      try {
        callbacks.execute(completion);
      } catch (RejectedExecutionException e) {
        completion.run(); // the store is closing: complete here
      }
    }
  }
}
