package dev.valkeyrie.cli;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Lets Ctrl-C (SIGINT) or SIGTERM end a long-running command cleanly. While {@linkplain #arm()
 * armed}, the first signal interrupts the command's thread, which then closes what it opened and
 * returns; before that (while a local etcd starts, say) the signal is only recorded, so start-up is
 * never cut half-way. A second signal exits at once; the JVM's shutdown hooks still stop a local
 * etcd.
 */
final class Interruption implements AutoCloseable {
  private final Thread thread;
  private final AtomicReference<String> signal = new AtomicReference<>();
  private final Signals signals;
  private boolean armed; // guarded by this

  private Interruption(Thread thread) {
    this.thread = thread;
    this.signals = Signals.handle(Signals.STOP, this::signalled);
  }

  /** Takes SIGINT and SIGTERM over for the calling thread. */
  static Interruption ofCurrentThread() {
    return new Interruption(Thread.currentThread());
  }

  private void signalled(String name) {
    if (!signal.compareAndSet(null, name)) {
      System.exit(ExitCodes.signalled(name));
    }
    synchronized (this) {
      if (armed) {
        thread.interrupt();
      }
    }
  }

  /**
   * From now on a signal interrupts the thread.
   *
   * @return true if a signal came already: the command should stop at once
   */
  synchronized boolean arm() {
    armed = true;
    return signal.get() != null;
  }

  /** Signals no longer interrupt the thread; a pending interrupt is cleared. */
  synchronized void disarm() {
    armed = false;
    Thread.interrupted();
  }

  /** Whether a signal asked the command to stop. */
  boolean requested() {
    return signal.get() != null;
  }

  /** Gives the signals back to the JVM. */
  @Override
  public void close() {
    signals.close();
  }
}
