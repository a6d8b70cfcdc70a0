package dev.valkeyrie.etcd.launcher;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/** Polls a condition at a short interval until it holds or a deadline passes. */
final class Poll {
  static final Duration INTERVAL = Duration.ofMillis(50);

  private Poll() {}

  /**
   * @return true as soon as {@code condition} is true, false once {@code deadline} has passed
   * @throws IllegalStateException if interrupted (the interrupt flag is kept)
   */
  static boolean until(Instant deadline, BooleanSupplier condition) {
    while (true) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Duration left = Duration.between(Instant.now(), deadline);
      if (left.isNegative() || left.isZero()) {
        return false;
      }
      try {
        Thread.sleep(Math.max(1, Math.min(INTERVAL.toMillis(), left.toMillis())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for etcd", e);
      }
    }
  }

  /** The time left until {@code deadline}, capped at {@code max}, never below 1 ms. */
  static Duration remaining(Instant deadline, Duration max) {
    Duration left = Duration.between(Instant.now(), deadline);
    if (left.compareTo(max) > 0) {
      return max;
    }
    return left.toMillis() < 1 ? Duration.ofMillis(1) : left;
  }
}
