package dev.valkeyrie.etcdv3;

import dev.valkeyrie.store.spi.Ticker;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Where a store's parts read the time and schedule their work: renewals, deadlines of our own,
 * backoff, the connection probe, member sync. Tests pass a manual clock for both. Tasks on the
 * scheduler must not block: they start asynchronous requests and return.
 *
 * @param ticker the clock, in nanoseconds
 * @param scheduler runs timed tasks
 */
record StoreTime(Ticker ticker, ScheduledExecutorService scheduler) {

  /** Nanoseconds now. */
  long now() {
    return ticker.read();
  }
}
