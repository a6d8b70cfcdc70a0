package dev.valkeyrie.store.spi;

/**
 * A source of time in nanoseconds, for measuring how long something took or waited (never a
 * wall-clock time). Backends read time only through one, so that tests can move it by hand.
 */
@FunctionalInterface
public interface Ticker {

  /** Nanoseconds since a fixed but arbitrary origin, as {@link System#nanoTime()}. */
  long read();

  /** The system's monotonic clock. */
  static Ticker system() {
    return System::nanoTime;
  }
}
