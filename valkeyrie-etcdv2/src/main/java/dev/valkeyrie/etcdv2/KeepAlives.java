package dev.valkeyrie.etcdv2;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps keys written with {@code keepAlive} alive while the store is open: their TTL is refreshed
 * at a third of its length. Each refresh is conditioned on the index of the previous one, so a key
 * that someone else rewrote is left alone (a refresh would otherwise give their key our TTL). When
 * the store closes, refreshing stops and the keys expire with their TTL.
 */
final class KeepAlives implements StoreResource {
  private static final Logger LOG = LoggerFactory.getLogger(KeepAlives.class);

  private final StoreContext context;
  private final Map<String, Future<?>> tasks = new ConcurrentHashMap<>();

  KeepAlives(StoreContext context) {
    this.context = context;
    context.resources().register(this);
  }

  /** Starts keeping {@code key} alive from the write that produced {@code index}. */
  void keep(KeyPath key, boolean dir, long ttlSeconds, long index) {
    AtomicLong lastIndex = new AtomicLong(index);
    long periodMs = Math.max(200, ttlSeconds * 1000 / 3);
    Runnable refresh =
        () -> {
          Query query =
              Query.of().flag("refresh").flag("prevExist").flag("dir", dir).add("ttl", ttlSeconds);
          if (!dir) {
            query.add("prevIndex", lastIndex.get()); // etcd cannot compare-and-swap directories
          }
          var unused =
              context
                  .client()
                  .send(
                      KeysRequest.put("keepAlive", key, query, null),
                      Duration.ofSeconds(ttlSeconds))
                  .whenComplete(
                      (reply, failure) -> {
                        if (failure != null) {
                          LOG.debug(
                              "keep-alive of '{}' failed; retrying: {}",
                              key.key(),
                              failure.toString());
                        } else if (reply.error() != null) {
                          LOG.debug(
                              "keep-alive of '{}' stopped: {}",
                              key.key(),
                              reply.error().describe());
                          forget(key);
                        } else {
                          lastIndex.set(reply.response().node().modifiedIndex());
                        }
                      });
        };
    Future<?> task =
        context.timer().scheduleWithFixedDelay(refresh, periodMs, periodMs, TimeUnit.MILLISECONDS);
    Future<?> previous = tasks.put(key.key(), task);
    if (previous != null) {
      previous.cancel(false);
    }
  }

  /** Stops keeping {@code key} alive. */
  void forget(KeyPath key) {
    Future<?> task = tasks.remove(key.key());
    if (task != null) {
      task.cancel(false);
    }
  }

  /** Stops keeping alive {@code directory} and everything below it. */
  void forgetTree(KeyPath directory) {
    tasks
        .entrySet()
        .removeIf(
            entry -> {
              boolean below = directory.contains(entry.getKey());
              if (below) {
                entry.getValue().cancel(false);
              }
              return below;
            });
  }

  @Override
  public CompletableFuture<?> shutdown(Throwable cause) {
    tasks.values().forEach(task -> task.cancel(false));
    tasks.clear();
    return CompletableFuture.completedFuture(null);
  }
}
