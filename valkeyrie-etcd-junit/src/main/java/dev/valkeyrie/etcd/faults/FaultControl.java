package dev.valkeyrie.etcd.faults;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The state every pump of one proxy consults: the fault in force, whether the proxy is closed, and
 * the byte counters. One monitor, so that a pump waiting out a hold, a trickle interval or a delay
 * wakes at once when the test thread injects another fault or closes the proxy.
 */
final class FaultControl {
  /**
   * One injection of a fault. Compared by identity: pumps restart their per-connection counts when
   * the setting changes, even to an equal fault.
   */
  static final class Setting {
    private final Fault fault;

    private Setting(Fault fault) {
      this.fault = fault;
    }

    Fault fault() {
      return fault;
    }
  }

  /** How a wait ended. */
  enum Wake {
    /** The time ran out with the setting unchanged. */
    ELAPSED,
    /** Another fault was injected. */
    CHANGED,
    /** The proxy closed, or the waiting pump's connection ended. */
    CLOSED
  }

  private final AtomicLong bytesToServer = new AtomicLong();
  private final AtomicLong bytesToClient = new AtomicLong();
  private volatile Setting setting = new Setting(Fault.pass());
  private volatile boolean closed;

  Setting setting() {
    return setting;
  }

  synchronized void inject(Fault fault) {
    setting = new Setting(fault);
    notifyAll();
  }

  synchronized void close() {
    closed = true;
    notifyAll();
  }

  boolean isClosed() {
    return closed;
  }

  /** Wakes every waiting pump, so that those whose connection ended can stop. */
  synchronized void wakeAll() {
    notifyAll();
  }

  /**
   * Waits until the setting is no longer {@code seen}, the proxy closes, {@code connection} ends,
   * or {@code max} has passed ({@code null}: no limit). Spurious wake-ups are waited out.
   */
  synchronized Wake await(Setting seen, @Nullable Duration max, Connection connection)
      throws InterruptedException {
    long deadline = max == null ? 0 : System.nanoTime() + max.toNanos();
    while (true) {
      if (closed || connection.isEnded()) {
        return Wake.CLOSED;
      }
      if (setting != seen) {
        return Wake.CHANGED;
      }
      if (max == null) {
        wait();
      } else {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return Wake.ELAPSED;
        }
        // Round up: wait(0) would mean forever.
        wait(Math.max(1, (left + 999_999) / 1_000_000));
      }
    }
  }

  void forwarded(Direction direction, int bytes) {
    (direction == Direction.REQUEST ? bytesToServer : bytesToClient).addAndGet(bytes);
  }

  long bytesToServer() {
    return bytesToServer.get();
  }

  long bytesToClient() {
    return bytesToClient.get();
  }
}
