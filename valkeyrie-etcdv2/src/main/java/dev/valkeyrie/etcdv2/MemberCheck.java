package dev.valkeyrie.etcdv2;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Asks whether one member still serves, after a watch's poll on it stayed idle for its whole
 * timeout. Silence is normal when nothing changes, but a frozen member (or one cut off from its
 * leader) is silent too, and a watch must not wait on it for ever: a quorum read of a hidden key
 * answers only if the member can reach the cluster's leader. A member that does not answer is
 * passed over, so the watch's next poll goes to another one.
 *
 * <p>However many watches wait on a member, it is asked at most once per {@link #REUSE_NANOS}.
 */
final class MemberCheck {
  private static final long REUSE_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final String PROBE = "/v2/keys/_valkeyrie/probe?quorum=true";

  private final Endpoints endpoints;
  private final HttpTransport transport;
  private final Deadlines clock;
  private final Duration timeout;
  private final Map<URI, Check> recent = new ConcurrentHashMap<>();

  MemberCheck(Endpoints endpoints, HttpTransport transport, Deadlines clock, Duration timeout) {
    this.endpoints = endpoints;
    this.transport = transport;
    this.clock = clock;
    this.timeout = timeout;
  }

  /** Completes (never exceptionally) once {@code member} answered or was passed over. */
  CompletableFuture<Void> check(URI member) {
    long now = clock.now();
    Check check =
        recent.compute(
            member,
            (uri, last) ->
                last != null && now - last.startedAt < REUSE_NANOS
                    ? last
                    : new Check(now, probe(uri)));
    return check.done;
  }

  private CompletableFuture<Void> probe(URI member) {
    return transport
        .send(new HttpCall("GET", member, PROBE, null, clock.now() + timeout.toNanos()))
        .handle(
            (answer, failure) -> {
              // Any answer but a server error (no leader, no quorum) means the member serves.
              if (failure != null || answer.status() >= 500) {
                endpoints.failed(member);
              }
              return null;
            });
  }

  private record Check(long startedAt, CompletableFuture<Void> done) {}
}
