package dev.valkeyrie.testsuite;

import static org.assertj.core.api.Assertions.fail;

import dev.valkeyrie.store.Watch;
import dev.valkeyrie.store.WatchClosedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Waits on {@link Watch}es with poll loops bounded by a deadline (never a bare sleep). */
public final class Watches {

  private static final Duration CLOSE_POLL = Duration.ofMillis(500);

  private Watches() {}

  /** The next update, failing if none arrives within {@code timeout}. */
  public static <T> T next(Watch<T> watch, Duration timeout) throws InterruptedException {
    T update = watch.poll(timeout);
    if (update == null) {
      return fail("no update within " + timeout);
    }
    return update;
  }

  /**
   * Every update up to and including the first one that satisfies {@code wanted}, failing (with the
   * updates seen) if none does within {@code timeout}.
   */
  public static <T> List<T> updatesUntil(
      Watch<T> watch, Predicate<? super T> wanted, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<T> seen = new ArrayList<>();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return fail("no wanted update within " + timeout + "; updates seen: " + seen);
      }
      T update = watch.poll(Duration.ofNanos(left));
      if (update != null) {
        seen.add(update);
        if (wanted.test(update)) {
          return seen;
        }
      }
    }
  }

  /** The first update that satisfies {@code wanted}; see {@link #updatesUntil}. */
  public static <T> T awaitUpdate(Watch<T> watch, Predicate<? super T> wanted, Duration timeout)
      throws InterruptedException {
    List<T> updates = updatesUntil(watch, wanted, timeout);
    return updates.get(updates.size() - 1);
  }

  /**
   * Polls (discarding updates) until the watch reports its end with {@link WatchClosedException},
   * failing if it has not ended within {@code timeout}.
   */
  public static WatchClosedException awaitClosed(Watch<?> watch, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() - deadline < 0) {
      try {
        watch.poll(CLOSE_POLL);
      } catch (WatchClosedException e) {
        return e;
      }
    }
    return fail("watch did not end within " + timeout);
  }

  /** The updates that arrive until none has come for {@code quiet}. */
  public static <T> List<T> drain(Watch<T> watch, Duration quiet) throws InterruptedException {
    List<T> updates = new ArrayList<>();
    for (T update = watch.poll(quiet); update != null; update = watch.poll(quiet)) {
      updates.add(update);
    }
    return updates;
  }
}
