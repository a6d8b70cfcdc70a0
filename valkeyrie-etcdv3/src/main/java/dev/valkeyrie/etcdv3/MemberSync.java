package dev.valkeyrie.etcdv3;

import dev.valkeyrie.etcdv3.rpc.ClusterGrpc;
import dev.valkeyrie.etcdv3.rpc.Member;
import dev.valkeyrie.etcdv3.rpc.MemberListRequest;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Refreshes the member list from etcd's {@code MemberList} every sync period, so members added to
 * the cluster are used without a restart, and closes the channels of members that left. Learners
 * are left out (they serve no reads or writes). A failed sync is logged at debug level and retried
 * at the next period; it never stops the loop and never empties the list.
 */
final class MemberSync implements StoreContext.Resource {
  private static final Logger LOG = System.getLogger(MemberSync.class.getName());

  private final CallLayer calls;
  private final Channels channels;
  private final StoreTime time;
  private final boolean tls;
  private volatile Future<?> task = CompletableFuture.completedFuture(null);

  MemberSync(CallLayer calls, Channels channels, StoreTime time, boolean tls) {
    this.calls = calls;
    this.channels = channels;
    this.time = time;
    this.tls = tls;
  }

  /** Syncs now, then every {@code period}. */
  void start(StoreContext context, Duration period) {
    context.register(this);
    try {
      task =
          time.scheduler()
              .scheduleWithFixedDelay(
                  () -> {
                    // syncOnce's future reports nothing the next sync would not retry.
                    var unused = syncOnce();
                  },
                  0,
                  period.toNanos(),
                  TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // The store is closing.
    }
  }

  /** One sync; completes when the list was refreshed or the attempt failed. */
  CompletableFuture<Void> syncOnce() {
    return calls
        .send(
            ClusterGrpc.getMemberListMethod(),
            MemberListRequest.getDefaultInstance(),
            Op.read("member sync", ""))
        .thenAccept(
            response -> {
              List<URI> members = new ArrayList<>();
              for (Member member : response.getMembersList()) {
                if (member.getIsLearner()) {
                  continue;
                }
                for (String url : member.getClientURLsList()) {
                  Endpoints.member(url, tls)
                      .filter(u -> !members.contains(u))
                      .ifPresent(members::add);
                }
              }
              Endpoints endpoints = calls.endpoints();
              endpoints.replace(members);
              channels.retainOnly(endpoints.all());
            })
        .exceptionally(
            failure -> {
              LOG.log(
                  Level.DEBUG, () -> "member sync failed: " + Errors.unwrap(failure).getMessage());
              return null;
            });
  }

  @Override
  public CompletableFuture<?> shutdown(Throwable cause) {
    task.cancel(false);
    return CompletableFuture.completedFuture(null);
  }
}
