package dev.valkeyrie.cli;

import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Where {@code lock}'s signals (SIGINT, SIGTERM, SIGHUP) go. While the lock is awaited they
 * interrupt the waiting thread; once the command runs they are handed on to it; in between they are
 * remembered, so the command is not started after one came.
 */
final class SignalRelay {
  private final Thread waiter;
  private @Nullable String received; // the first signal while not forwarding; guarded by this
  private boolean interrupting; // guarded by this
  private @Nullable Consumer<String> forward; // guarded by this

  SignalRelay(Thread waiter) {
    this.waiter = waiter;
  }

  /** Called on the JVM's signal thread. */
  synchronized void signalled(String name) {
    if (forward != null) {
      forward.accept(name);
      return;
    }
    if (received == null) {
      received = name;
    }
    if (interrupting) {
      waiter.interrupt();
    }
  }

  /** The first signal that was not forwarded, or {@code null}. */
  synchronized @Nullable String received() {
    return received;
  }

  /** While on, a signal interrupts the waiting thread. Turning it off clears the interrupt. */
  synchronized void interrupting(boolean on) {
    interrupting = on;
    if (!on && Thread.currentThread() == waiter) {
      Thread.interrupted();
    }
  }

  /** From now on, signals go to {@code target}, starting with one that came meanwhile. */
  synchronized void forwardTo(Consumer<String> target) {
    forward = target;
    if (received != null) {
      target.accept(received);
      received = null;
    }
  }
}
