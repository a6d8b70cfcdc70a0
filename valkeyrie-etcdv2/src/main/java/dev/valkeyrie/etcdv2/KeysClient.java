package dev.valkeyrie.etcdv2;

import dev.valkeyrie.etcdv2.KeysRequest.Kind;
import dev.valkeyrie.store.StoreException;
import dev.valkeyrie.store.StoreUnavailableException;
import dev.valkeyrie.store.spi.ConnectionMonitor;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The etcd v2 keys API over an {@link HttpTransport}: sends a request to the preferred member,
 * moves to the next member when that is safe, and decodes the answer into an {@link EtcdResponse}
 * or an {@link EtcdError}.
 *
 * <p>When a request may move on is decided by its {@link Kind} and by how the exchange failed: any
 * request moves on when nothing of it was sent ({@link NothingSentException}); a read also after a
 * failure once sent, or an answer with a server error; a write never, once sent. A write that may
 * have reached a member and got no answer fails with a {@link StoreUnavailableException} whose
 * {@link StoreUnavailableException#outcomeUnknown()} is true.
 *
 * <p>{@link #call} runs the attempts in the calling thread; {@link #send} chains them as callbacks.
 * Both follow the same rules, made in {@link #mayMoveOn} and {@link #attemptDeadline}.
 */
final class KeysClient {
  private final Endpoints endpoints;
  private final HttpTransport transport;
  private final Deadlines clock;
  private final Duration requestTimeout;
  private final @Nullable String user;
  private final ConnectionMonitor monitor;

  KeysClient(
      Endpoints endpoints,
      HttpTransport transport,
      Deadlines clock,
      Duration requestTimeout,
      @Nullable String user,
      ConnectionMonitor monitor) {
    this.endpoints = endpoints;
    this.transport = transport;
    this.clock = clock;
    this.requestTimeout = requestTimeout;
    this.user = user;
    this.monitor = monitor;
  }

  /** An answer: exactly one of the two is set. */
  public record Reply(EtcdResponse response, EtcdError error) {
    // Exactly one of the two is set, a pairing NullAway cannot express: every caller checks
    // error() before it reads response(). Typing Reply as two cases would change every caller,
    // so the null goes in only here.
    @SuppressWarnings("NullAway")
    static Reply of(EtcdResponse response) {
      return new Reply(response, null);
    }

    @SuppressWarnings("NullAway")
    static Reply of(EtcdError error) {
      return new Reply(null, error);
    }

    public boolean isError(int code) {
      return error != null && error.errorCode() == code;
    }
  }

  /**
   * A long poll that stayed silent until its deadline: nothing changed. Not a failure of the
   * member, and not reported to the connection monitor.
   */
  public static final class IdlePollException extends StoreException {
    private static final long serialVersionUID = 1L;
    private final transient URI endpoint;

    IdlePollException(String message, URI endpoint) {
      super(message, null);
      this.endpoint = endpoint;
    }

    /** The member the poll waited on. */
    public URI endpoint() {
      return endpoint;
    }
  }

  /**
   * Sends and waits for the answer, in the calling thread, within the request timeout.
   *
   * @throws StoreUnavailableException if no member gave a usable answer in time; for a write that
   *     may have reached a member, with {@link StoreUnavailableException#outcomeUnknown()}
   */
  public Reply call(KeysRequest request) {
    return call(request, requestTimeout);
  }

  /** {@link #call(KeysRequest)} within {@code timeout}. */
  public Reply call(KeysRequest request, Duration timeout) {
    long deadline = clock.now() + timeout.toNanos();
    URI endpoint = endpoints.preferred();
    int attemptsLeft = attempts(request);
    while (true) {
      HttpCall call = blockingCall(request, endpoint, deadline, attemptsLeft);
      HttpResult result;
      try {
        result = transport.exchange(call);
      } catch (ExchangeException e) {
        if (Thread.currentThread().isInterrupted()) {
          throw Errors.interrupted(
              e, request.operation(), request.key().key(), endpoint, request.isWrite());
        }
        if (!mayMoveOn(request, e, attemptsLeft, deadline)) {
          throw failed(request, endpoint, e);
        }
        endpoints.failed(endpoint);
        endpoint = endpoints.after(endpoint);
        attemptsLeft--;
        continue;
      }
      Reply reply;
      try {
        reply = decode(request, endpoint, result);
      } catch (StoreUnavailableException e) {
        if (!mayMoveOn(request, attemptsLeft, deadline)) {
          monitor.failed();
          throw e;
        }
        reply = null;
      }
      if (reply != null && !(serverError(reply) && mayMoveOn(request, attemptsLeft, deadline))) {
        answered(endpoint, reply);
        return reply;
      }
      // This member could not serve it (no leader, no quorum): another one may.
      endpoints.failed(endpoint);
      endpoint = endpoints.after(endpoint);
      attemptsLeft--;
    }
  }

  /** Sends, waits, and throws the mapped exception for an error answer. */
  public EtcdResponse execute(KeysRequest request) {
    Reply reply = call(request);
    if (reply.error() != null) {
      throw failure(request, reply.error());
    }
    return reply.response();
  }

  /**
   * Sends without blocking, within the request timeout. The future fails as {@link #call} throws;
   * for a long poll, with {@link IdlePollException} when nothing changed. Cancelling it aborts the
   * exchange.
   */
  public CompletableFuture<Reply> send(KeysRequest request) {
    return send(request, requestTimeout);
  }

  /** {@link #send(KeysRequest)} within {@code timeout}: for a long poll, the idle wait. */
  public CompletableFuture<Reply> send(KeysRequest request, Duration timeout) {
    CompletableFuture<Reply> result = new CompletableFuture<>();
    long deadline = clock.now() + timeout.toNanos();
    attempt(request, endpoints.preferred(), deadline, attempts(request), result);
    return result;
  }

  private void attempt(
      KeysRequest request,
      URI endpoint,
      long deadline,
      int attemptsLeft,
      CompletableFuture<Reply> result) {
    CompletableFuture<HttpResult> exchange =
        transport.send(
            httpCall(request, endpoint, attemptDeadline(request, deadline, attemptsLeft)));
    var unused =
        result.whenComplete(
            (r, e) -> {
              if (e instanceof CancellationException) {
                exchange.cancel(true);
              }
            });
    var unusedToo =
        exchange.whenComplete(
            (response, failure) -> {
              if (result.isDone()) {
                return;
              }
              if (failure != null) {
                // A transport fails with an ExchangeException; anything else is treated as the
                // worst case, an exchange that may have reached the member.
                ExchangeException e =
                    failure instanceof ExchangeException x
                        ? x
                        : new NoAnswerException("unexpected failure: " + failure, failure, false);
                if (mayMoveOn(request, e, attemptsLeft, deadline)) {
                  endpoints.failed(endpoint);
                  attempt(request, endpoints.after(endpoint), deadline, attemptsLeft - 1, result);
                } else {
                  result.completeExceptionally(failed(request, endpoint, e));
                }
                return;
              }
              Reply reply;
              try {
                reply = decode(request, endpoint, response);
              } catch (StoreUnavailableException e) {
                if (!mayMoveOn(request, attemptsLeft, deadline)) {
                  monitor.failed();
                  result.completeExceptionally(e);
                  return;
                }
                reply = null;
              } catch (StoreException e) {
                result.completeExceptionally(e);
                return;
              }
              if (reply != null
                  && !(serverError(reply) && mayMoveOn(request, attemptsLeft, deadline))) {
                answered(endpoint, reply);
                result.complete(reply);
                return;
              }
              endpoints.failed(endpoint);
              attempt(request, endpoints.after(endpoint), deadline, attemptsLeft - 1, result);
            });
  }

  /** The exception for an error answer to {@code request}. */
  public StoreException failure(KeysRequest request, EtcdError error) {
    return Errors.of(error, request.operation(), request.key().key(), user, request.isWrite());
  }

  /** How many members a request may try: a long poll stays where it is. */
  private int attempts(KeysRequest request) {
    return request.kind() == Kind.LONG_POLL ? 1 : endpoints.size();
  }

  /**
   * When this attempt must end. A read that may move on leaves time for the other members, so a
   * frozen member cannot eat the whole timeout; a write gets all the time there is, since once sent
   * it cannot move on.
   */
  private long attemptDeadline(KeysRequest request, long deadline, int attemptsLeft) {
    return request.kind() == Kind.READ ? share(deadline, attemptsLeft) : deadline;
  }

  /** This attempt's share of the time left, when others may follow it. */
  private long share(long deadline, int attemptsLeft) {
    if (attemptsLeft <= 1) {
      return deadline;
    }
    long now = clock.now();
    long remaining = deadline - now;
    return remaining <= 0 ? deadline : now + remaining / attemptsLeft;
  }

  /** After a failed exchange: whether the request may go to the next member. */
  private boolean mayMoveOn(
      KeysRequest request, ExchangeException failure, int attemptsLeft, long deadline) {
    boolean resendable = failure instanceof NothingSentException || request.kind() == Kind.READ;
    return resendable && attemptsLeft > 1 && deadline - clock.now() > 0;
  }

  /** After an answer with a server error: only a read may go to the next member. */
  private boolean mayMoveOn(KeysRequest request, int attemptsLeft, long deadline) {
    return request.kind() == Kind.READ && attemptsLeft > 1 && deadline - clock.now() > 0;
  }

  private static boolean serverError(Reply reply) {
    return reply.error() != null && reply.error().status() >= 500;
  }

  private void answered(URI endpoint, Reply reply) {
    endpoints.succeeded(endpoint);
    if (serverError(reply)) {
      monitor.failed();
    } else {
      monitor.succeeded();
    }
  }

  /** The final failure of a request whose last exchange got no answer. */
  private StoreException failed(KeysRequest request, URI endpoint, ExchangeException failure) {
    if (request.kind() == Kind.LONG_POLL && failure.timedOut()) {
      return new IdlePollException(
          request.operation() + " '" + request.key().key() + "': nothing changed", endpoint);
    }
    endpoints.failed(endpoint);
    monitor.failed();
    return Errors.noAnswer(
        failure, request.operation(), request.key().key(), endpoint, request.isWrite());
  }

  private HttpCall httpCall(KeysRequest request, URI endpoint, long deadline) {
    return new HttpCall(
        request.method(),
        endpoint,
        request.key().path() + request.query(),
        request.body(),
        deadline);
  }

  /**
   * A call for the calling thread. A write whose body can wait for {@code 100 Continue} waits no
   * longer than a read's share of the time: a member that does not ask for the body has applied
   * nothing, and the write may move on. Once the body is sent it has all the time left.
   */
  private HttpCall blockingCall(
      KeysRequest request, URI endpoint, long deadline, int attemptsLeft) {
    String target = request.key().path() + request.query();
    if (request.expectsContinue()) {
      return new HttpCall(
          request.method(),
          endpoint,
          target,
          request.body(),
          deadline,
          share(deadline, attemptsLeft));
    }
    return new HttpCall(
        request.method(),
        endpoint,
        target,
        request.body(),
        attemptDeadline(request, deadline, attemptsLeft));
  }

  private Reply decode(KeysRequest request, URI endpoint, HttpResult response) {
    int status = response.status();
    try {
      if (response.isJson()) {
        if (status >= 200 && status < 300) {
          return Reply.of(
              request.listing()
                  ? EtcdJson.listing(response.body(), response.etcdIndex())
                  : EtcdJson.response(response.body(), response.etcdIndex()));
        }
        return Reply.of(EtcdJson.error(status, response.body()));
      }
    } catch (IOException e) {
      throw new StoreException(
          request.operation()
              + " '"
              + request.key().key()
              + "': etcd at "
              + endpoint
              + " sent a malformed answer (HTTP "
              + status
              + "): "
              + e.getMessage()
              + "; body: "
              + snippet(response.body()),
          e);
    }
    String what = request.operation() + " '" + request.key().key() + "'";
    if (status == 404) {
      // etcd's v2 keys API answers every 404 in JSON; plain text means no v2 API on this member.
      throw new V2ApiNotEnabledException(
          what
              + ": etcd at "
              + endpoint
              + " does not serve the v2 API (HTTP 404 "
              + snippet(response.body()).strip()
              + "): etcd 3.4 and later serve it only when started with --enable-v2=true;"
              + " otherwise use the etcd v3 backend (etcdv3)",
          endpoint.toString());
    }
    if (status >= 500) {
      boolean unknown = request.isWrite();
      throw new StoreUnavailableException(
          what
              + ": etcd at "
              + endpoint
              + " answered HTTP "
              + status
              + ": "
              + snippet(response.body())
              + (unknown ? "; the outcome is unknown: etcd may have applied the write" : ""),
          null,
          unknown);
    }
    throw new StoreException(
        what
            + ": etcd at "
            + endpoint
            + " answered HTTP "
            + status
            + " ("
            + response.contentType()
            + "): "
            + snippet(response.body()));
  }

  private static String snippet(byte[] body) {
    String text = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
    return body.length > 200 ? text + "..." : text;
  }
}
