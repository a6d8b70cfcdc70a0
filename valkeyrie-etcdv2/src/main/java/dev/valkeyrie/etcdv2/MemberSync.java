package dev.valkeyrie.etcdv2;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refreshes the member list from {@code GET /v2/members} every sync period, so members added to the
 * cluster are used without a restart. A failed sync is logged and retried at the next period (on
 * the next member); it never stops the loop and never empties the list.
 */
final class MemberSync implements StoreResource {
  private static final Logger LOG = LoggerFactory.getLogger(MemberSync.class);

  private final Endpoints endpoints;
  private final HttpTransport transport;
  private final Deadlines clock;
  private final Duration timeout;
  private volatile Future<?> task = CompletableFuture.completedFuture(null);

  MemberSync(Endpoints endpoints, HttpTransport transport, Deadlines clock, Duration timeout) {
    this.endpoints = endpoints;
    this.transport = transport;
    this.clock = clock;
    this.timeout = timeout;
  }

  /** Syncs now, then every {@code period}. */
  void start(StoreContext context, Duration period) {
    context.resources().register(this);
    task =
        context
            .timer()
            .scheduleWithFixedDelay(
                () -> {
                  // Each sync reports its own failure; the periodic task only starts them.
                  var unused = syncOnce();
                },
                0,
                period.toMillis(),
                TimeUnit.MILLISECONDS);
  }

  /** One sync; completes when the list was refreshed or the attempt failed. */
  CompletableFuture<Void> syncOnce() {
    URI endpoint = endpoints.preferred();
    return transport
        .send(new HttpCall("GET", endpoint, "/v2/members", null, clock.now() + timeout.toNanos()))
        .thenAccept(
            result -> {
              if (result.status() != 200 || !result.isJson()) {
                throw new IllegalStateException("HTTP " + result.status());
              }
              try {
                List<URI> members = new ArrayList<>();
                for (String url : EtcdJson.memberClientUrls(result.body())) {
                  Endpoints.member(url).filter(u -> !members.contains(u)).ifPresent(members::add);
                }
                endpoints.replace(members);
              } catch (java.io.IOException e) {
                throw new IllegalStateException("malformed member list: " + e.getMessage(), e);
              }
            })
        .exceptionally(
            failure -> {
              LOG.debug("member sync through {} failed: {}", endpoint, failure.toString());
              endpoints.failed(endpoint);
              return null;
            });
  }

  @Override
  public CompletableFuture<?> shutdown(Throwable cause) {
    task.cancel(false);
    return CompletableFuture.completedFuture(null);
  }
}
