package dev.valkeyrie.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A {@link Migration#follow()} running on a thread of its own, for tests. */
final class Following implements AutoCloseable {
  final Migration migration;
  final CompletableFuture<FollowResult> result = new CompletableFuture<>();

  private Following(Migration migration) {
    this.migration = migration;
  }

  static Following start(Migration migration) {
    Following following = new Following(migration);
    Thread thread =
        new Thread(
            () -> {
              try {
                following.result.complete(migration.follow());
              } catch (Throwable e) {
                following.result.completeExceptionally(e);
              }
            },
            "test-follow");
    thread.setDaemon(true);
    thread.start();
    return following;
  }

  /** Waits until v3 matches v2 (the follow has caught up), failing early if the follow failed. */
  void awaitInStep() {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              if (result.isCompletedExceptionally()) {
                result.join();
              }
              return migration.verify().matches();
            });
  }

  FollowResult stop() {
    migration.stop();
    await().atMost(Duration.ofSeconds(30)).until(result::isDone);
    return result.join();
  }

  @Override
  public void close() {
    if (!result.isDone()) {
      stop();
    }
    assertThat(result).isDone();
  }
}
