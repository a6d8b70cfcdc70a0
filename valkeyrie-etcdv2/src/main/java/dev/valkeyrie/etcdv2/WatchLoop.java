package dev.valkeyrie.etcdv2;

import dev.valkeyrie.store.AccessDeniedException;
import dev.valkeyrie.store.InvalidConfigurationException;
import dev.valkeyrie.store.KeyNotFoundException;
import dev.valkeyrie.store.StoreException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one key or directory through etcd's long-poll watch, without missing an event.
 *
 * <ul>
 *   <li>It starts at the {@code X-Etcd-Index} of the read that produced the first update, plus one,
 *       so a change between that read and the first poll is not lost.
 *   <li>It advances to each event's {@code modifiedIndex} plus one, never to the watch response's
 *       {@code X-Etcd-Index} (which is the index when the poll started).
 *   <li>An idle poll (etcd sends nothing while nothing changes) is re-issued at the same index.
 *   <li>Transport errors, timeouts and restarts are retried from the same index with capped
 *       exponential backoff: the consumer sees only delay.
 *   <li>When the index has left etcd's 1,000-event history (error 401), it reads the current state
 *       again and hands it to the handler as a snapshot, then continues from that read.
 * </ul>
 *
 * <p>No thread waits on a poll: each step is a callback. One request is in flight at a time.
 */
final class WatchLoop implements StoreResource {
  private static final Logger LOG = LoggerFactory.getLogger(WatchLoop.class);
  private static final long MIN_BACKOFF_MS = 50;
  private static final long MAX_BACKOFF_MS = 5_000;

  /** What the loop feeds. Called from one thread at a time, in index order. */
  interface Handler {
    /**
     * The current state read at {@code etcdIndex}, {@code null} if the path is absent. A tree
     * watch's read is a listing: its entries are in {@link EtcdResponse#entries}.
     */
    void snapshot(@Nullable EtcdResponse current, long etcdIndex);

    /** One change. */
    void event(EtcdResponse event);

    /** The loop ended for good. */
    void failed(Throwable cause);
  }

  private final StoreContext context;
  private final KeyPath path;
  private final boolean recursive;
  private final boolean quorum;
  private final Handler handler;
  private final String operation;
  private volatile boolean stopped;
  private volatile Future<?> inFlight = CompletableFuture.completedFuture(null);
  private long nextIndex;
  private long backoffMs = MIN_BACKOFF_MS;

  WatchLoop(
      StoreContext context, KeyPath path, boolean recursive, boolean quorum, Handler handler) {
    this.context = context;
    this.path = path;
    this.recursive = recursive;
    this.quorum = quorum;
    this.handler = handler;
    this.operation = recursive ? "watchTree" : "watch";
  }

  /**
   * Reads the current state (in the caller's thread, so a missing key fails the call), hands it to
   * the handler and starts polling.
   *
   * @throws KeyNotFoundException if the path does not exist
   */
  void start() {
    KeysClient.Reply reply = context.client().call(read());
    if (reply.error() != null) {
      if (reply.isError(EtcdError.NOT_DIR)) {
        throw new KeyNotFoundException(
            "key '"
                + path.key()
                + "' not found ("
                + operation
                + "): a parent is a key; "
                + reply.error().describe());
      }
      throw context.client().failure(read(), reply.error());
    }
    handler.snapshot(reply.response(), reply.response().etcdIndex());
    nextIndex = reply.response().etcdIndex() + 1;
    context.resources().register(this);
    poll();
  }

  private KeysRequest read() {
    return recursive
        ? KeysRequest.list(operation, path, quorum)
        : KeysRequest.read(operation, path, quorum);
  }

  private void poll() {
    if (stopped) {
      return;
    }
    CompletableFuture<KeysClient.Reply> reply =
        context
            .watchClient()
            .send(
                KeysRequest.poll(operation, path, recursive, nextIndex),
                context.watchIdleTimeout());
    inFlight = reply;
    var unused = reply.whenComplete(this::onPoll);
    if (stopped) {
      reply.cancel(true);
    }
  }

  private void onPoll(KeysClient.Reply reply, Throwable failure) {
    if (stopped) {
      return;
    }
    try {
      if (failure != null) {
        Throwable cause = Errors.unwrap(failure);
        if (cause instanceof KeysClient.IdlePollException idle) {
          // Nothing changed, or the member froze: poll again once it has shown it serves.
          var unused = context.memberCheck().check(idle.endpoint()).whenComplete((r, e) -> poll());
        } else {
          retryLater(cause, this::poll);
        }
        return;
      }
      if (reply.error() != null) {
        onPollError(reply.error());
        return;
      }
      backoffMs = MIN_BACKOFF_MS;
      EtcdResponse event = reply.response();
      nextIndex = event.node().modifiedIndex() + 1;
      handler.event(event);
      poll();
    } catch (RuntimeException e) {
      stop(e);
    }
  }

  private void onPollError(EtcdError error) {
    switch (error.errorCode()) {
      case EtcdError.EVENT_INDEX_CLEARED -> {
        LOG.debug(
            "{} '{}': index {} left etcd's history ({}); resynchronising",
            operation,
            path.key(),
            nextIndex,
            error.cause());
        resync();
      }
      case EtcdError.UNAUTHORIZED, EtcdError.NOT_DIR ->
          stop(Errors.of(error, operation, path.key(), context.user(), false));
      default ->
          retryLater(Errors.of(error, operation, path.key(), context.user(), false), this::poll);
    }
  }

  /** Reads the current state again, hands it over, and polls from after that read. */
  private void resync() {
    if (stopped) {
      return;
    }
    CompletableFuture<KeysClient.Reply> reply = context.client().send(read());
    inFlight = reply;
    var unused =
        reply.whenComplete(
            (r, failure) -> {
              if (stopped) {
                return;
              }
              try {
                if (failure != null) {
                  retryLater(Errors.unwrap(failure), this::resync);
                } else if (r.error() != null && !r.isError(EtcdError.KEY_NOT_FOUND)) {
                  if (r.isError(EtcdError.UNAUTHORIZED)) {
                    stop(Errors.of(r.error(), operation, path.key(), context.user(), false));
                  } else {
                    retryLater(
                        Errors.of(r.error(), operation, path.key(), context.user(), false),
                        this::resync);
                  }
                } else {
                  long index = r.error() != null ? r.error().index() : r.response().etcdIndex();
                  backoffMs = MIN_BACKOFF_MS;
                  handler.snapshot(r.error() != null ? null : r.response(), index);
                  nextIndex = index + 1;
                  poll();
                }
              } catch (RuntimeException e) {
                stop(e);
              }
            });
  }

  private void retryLater(Throwable cause, Runnable step) {
    if (cause instanceof AccessDeniedException || cause instanceof InvalidConfigurationException) {
      stop(cause);
      return;
    }
    long delay = ThreadLocalRandom.current().nextLong(backoffMs / 2, backoffMs + 1);
    backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
    LOG.debug(
        "{} '{}' failed ({}); retrying from index {} in {} ms",
        operation,
        path.key(),
        cause.toString(),
        nextIndex,
        delay);
    try {
      inFlight = context.timer().schedule(step, delay, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      stop(cause); // the store is closing
    }
  }

  private void stop(Throwable cause) {
    if (stopped) {
      return;
    }
    stopped = true;
    context.resources().unregister(this);
    inFlight.cancel(true);
    handler.failed(
        cause instanceof StoreException
            ? cause
            : new StoreException(operation + " '" + path.key() + "' failed", cause));
  }

  /** Stops polling, frees the connection; the handler is not told (the user closed it). */
  void close() {
    stopped = true;
    context.resources().unregister(this);
    inFlight.cancel(true);
  }

  @Override
  public CompletableFuture<?> shutdown(Throwable cause) {
    stop(cause);
    return CompletableFuture.completedFuture(null);
  }
}
