package dev.valkeyrie.etcdv2.internal;

import dev.valkeyrie.etcdv2.internal.http.HttpCall;
import dev.valkeyrie.etcdv2.internal.http.HttpResult;
import dev.valkeyrie.etcdv2.internal.http.HttpTransport;
import dev.valkeyrie.store.InvalidConfigurationException;
import dev.valkeyrie.store.StoreException;
import dev.valkeyrie.store.StoreUnavailableException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The etcd v2 keys API over an {@link HttpTransport}: sends a request to the preferred member,
 * moves to the next member when that is safe, and decodes the answer into an {@link
 * EtcdResponse} or an {@link EtcdError}.
 */
public final class KeysClient {
  private final Endpoints endpoints;
  private final HttpTransport transport;
  private final Duration requestTimeout;
  private final String user;
  private final ConnectionMonitor monitor;

  /** Set while {@link #call} sends: that thread waits for the answer and may run the exchange. */
  private static final ThreadLocal<Boolean> CALLER_WAITS = new ThreadLocal<>();

  KeysClient(Endpoints endpoints, HttpTransport transport, Duration requestTimeout, String user,
      ConnectionMonitor monitor) {
    this.endpoints = endpoints;
    this.transport = transport;
    this.requestTimeout = requestTimeout;
    this.user = user;
    this.monitor = monitor;
  }

  /** An answer: exactly one of the two is set. */
  public record Reply(EtcdResponse response, EtcdError error) {
    public boolean isError(int code) {
      return error != null && error.errorCode() == code;
    }
  }

  /**
   * Sends without blocking. The future fails with a {@link StoreException} when no member gave a
   * usable answer within {@code timeout}. Cancelling it aborts the exchange.
   *
   * @param failover whether to try other members after a failure (off for watches, whose
   *     timeouts are normal and handled by the watch loop)
   */
  public CompletableFuture<Reply> send(KeysRequest request, Duration timeout, boolean failover) {
    CompletableFuture<Reply> result = new CompletableFuture<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    attempt(request, endpoints.preferred(), deadline, failover ? endpoints.size() : 1, false,
        result);
    if (failover) {
      result.whenComplete(this::report);
    } else {
      // A long poll's idle timeout says nothing about the cluster; other failures do.
      result.whenComplete((reply, failure) -> {
        if (failure == null || !(failure.getCause() instanceof TimeoutException)) {
          report(reply, failure);
        }
      });
    }
    return result;
  }

  private void report(Reply reply, Throwable failure) {
    Throwable cause = failure == null ? null : Errors.unwrap(failure);
    if (cause instanceof CancellationException) {
      return;
    }
    if (cause instanceof StoreUnavailableException || (reply != null && reply.error() != null
        && reply.error().status() >= 500)) {
      monitor.failed();
    } else if (reply != null) {
      monitor.succeeded();
    }
  }

  /**
   * Sends and waits for the answer, within the request timeout. The exchanges run in the calling
   * thread when the transport can do that ({@link HttpTransport#sendAndWait}): this thread only
   * waits anyway, and a hand-off to an I/O thread and back would cost more than the request.
   */
  public Reply call(KeysRequest request) {
    CompletableFuture<Reply> reply;
    CALLER_WAITS.set(Boolean.TRUE);
    try {
      reply = send(request, requestTimeout, true);
    } finally {
      CALLER_WAITS.remove();
    }
    try {
      // The transport enforces the timeout; the margin only guards against a stuck callback.
      return reply.get(requestTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      reply.cancel(true);
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException(
          request.operation() + " '" + request.key().key() + "' interrupted", e);
    } catch (ExecutionException e) {
      throw Errors.transport(e, request.operation(), request.key().key(), endpoints.toString());
    } catch (TimeoutException e) {
      reply.cancel(true);
      throw Errors.transport(e, request.operation(), request.key().key(), endpoints.toString());
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

  /** The exception for an error answer to {@code request}. */
  public StoreException failure(KeysRequest request, EtcdError error) {
    return Errors.of(error, request.operation(), request.key().key(), user);
  }

  /**
   * @param reached whether an earlier attempt of this request may have reached a member (it
   *     failed after connecting): then a write's outcome is unknown, whatever happens next
   */
  private void attempt(
      KeysRequest request,
      URI endpoint,
      long deadline,
      int attemptsLeft,
      boolean reached,
      CompletableFuture<Reply> result) {
    long remaining = deadline - System.nanoTime();
    if (remaining <= 0) {
      result.completeExceptionally(unknownOutcome(request, reached,
          Errors.transport(new TimeoutException(), request.operation(), request.key().key(),
              "any member of " + endpoints)));
      return;
    }
    // A request that may move on leaves time for the others: a frozen member must not eat the
    // whole timeout.
    long attemptNanos = request.retriable() && attemptsLeft > 1 ? remaining / attemptsLeft
        : remaining;
    HttpCall call = new HttpCall(request.method(), endpoint, request.key().path() + request.query(),
        request.body(), Duration.ofNanos(attemptNanos));
    // In call(), failover attempts run in the caller's thread too: they are made before send()
    // returns, because the exchange before them completed in this thread.
    CompletableFuture<HttpResult> exchange =
        CALLER_WAITS.get() != null ? transport.sendAndWait(call) : transport.send(call);
    result.whenComplete(
        (r, e) -> {
          if (e instanceof CancellationException) {
            exchange.cancel(true);
          }
        });
    exchange.whenComplete(
        (response, failure) -> {
          if (result.isDone()) {
            return;
          }
          if (failure == null) {
            Reply reply;
            try {
              reply = decode(request, endpoint, response);
            } catch (StoreUnavailableException e) {
              retryOrFail(request, endpoint, deadline, attemptsLeft, reached, result, e);
              return;
            } catch (StoreException e) {
              result.completeExceptionally(e);
              return;
            }
            if (reply.error() != null && reply.error().status() >= 500 && request.retriable()
                && attemptsLeft > 1) {
              // This member could not serve it (no leader, no quorum): another one may.
              endpoints.failed(endpoint);
              attempt(request, endpoints.after(endpoint), deadline, attemptsLeft - 1, true,
                  result);
            } else {
              endpoints.succeeded(endpoint);
              result.complete(reply);
            }
            return;
          }
          Throwable cause = Errors.unwrap(failure);
          if (cause instanceof CancellationException) {
            result.cancel(false);
            return;
          }
          retryOrFail(request, endpoint, deadline, attemptsLeft, reached, result, cause);
        });
  }

  /**
   * Moves to the next member when that is safe: always when the connection was refused (nothing
   * was sent), otherwise only for requests that may be sent twice. A write that may have reached
   * etcd is never resent: its failure says that the outcome is unknown.
   */
  private void retryOrFail(KeysRequest request, URI endpoint, long deadline, int attemptsLeft,
      boolean reachedBefore, CompletableFuture<Reply> result, Throwable cause) {
    if (!(request.isLongPoll() && cause instanceof TimeoutException)) {
      endpoints.failed(endpoint); // (an idle long poll says nothing about the member)
    }
    boolean nothingSent = cause instanceof ConnectException;
    boolean reached = reachedBefore || !nothingSent;
    if ((nothingSent || request.retriable()) && attemptsLeft > 1) {
      attempt(request, endpoints.after(endpoint), deadline, attemptsLeft - 1, reached, result);
      return;
    }
    result.completeExceptionally(unknownOutcome(request, reached,
        Errors.transport(cause, request.operation(), request.key().key(), endpoint.toString())));
  }

  /** A write that may have reached a member says so: etcd may have applied it. */
  private static StoreException unknownOutcome(KeysRequest request, boolean reached,
      StoreException failure) {
    if (!reached || request.method().equals("GET")) {
      return failure;
    }
    return new StoreUnavailableException(failure.getMessage()
        + "; the outcome is unknown: etcd may have applied the write", failure.getCause(), true);
  }

  private Reply decode(KeysRequest request, URI endpoint, HttpResult response) {
    int status = response.status();
    try {
      if (response.isJson()) {
        if (status >= 200 && status < 300) {
          return new Reply(request.listing()
              ? EtcdJson.listing(response.body(), response.etcdIndex())
              : EtcdJson.response(response.body(), response.etcdIndex()), null);
        }
        return new Reply(null, EtcdJson.error(status, response.body()));
      }
    } catch (IOException e) {
      throw new StoreException(
          request.operation() + " '" + request.key().key() + "': etcd at " + endpoint
              + " sent a malformed answer (HTTP " + status + "): " + e.getMessage()
              + "; body: " + snippet(response.body()), e);
    }
    String what = request.operation() + " '" + request.key().key() + "'";
    if (status == 404) {
      throw new InvalidConfigurationException(
          what + ": etcd at " + endpoint + " does not serve the v2 API (HTTP 404 "
              + snippet(response.body()).strip() + "); start etcd with --enable-v2=true");
    }
    if (status >= 500) {
      throw new StoreUnavailableException(
          what + ": etcd at " + endpoint + " answered HTTP " + status + ": "
              + snippet(response.body()));
    }
    throw new StoreException(
        what + ": etcd at " + endpoint + " answered HTTP " + status + " ("
            + response.contentType() + "): " + snippet(response.body()));
  }

  private static String snippet(byte[] body) {
    String text = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
    return body.length > 200 ? text + "..." : text;
  }
}
