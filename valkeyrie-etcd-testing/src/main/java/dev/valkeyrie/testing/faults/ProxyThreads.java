package dev.valkeyrie.testing.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Every thread of one proxy: named {@code fault-proxy-<port>-...}, daemon (a forgotten proxy never
 * keeps a JVM alive), and remembered until close() has joined it. Threads stay listed until they
 * have terminated, not merely until their task returned, so that once {@link #joinAll} returns no
 * thread of the proxy is alive.
 */
final class ProxyThreads {
  private final String prefix;
  private final List<Thread> threads = new ArrayList<>();
  private boolean closed;

  ProxyThreads(int port) {
    this.prefix = "fault-proxy-" + port + "-";
  }

  /** The common start of this proxy's thread names. */
  String prefix() {
    return prefix;
  }

  /**
   * Starts {@code task} in a new thread named {@code <prefix><name>}.
   *
   * @return false, starting nothing, once {@link #joinAll} has begun
   */
  synchronized boolean start(String name, Runnable task) {
    if (closed) {
      return false;
    }
    threads.removeIf(t -> !t.isAlive());
    Thread thread = new Thread(task, prefix + name);
    thread.setDaemon(true);
    threads.add(thread);
    thread.start();
    return true;
  }

  /**
   * Refuses new threads, then waits for every thread to terminate. The caller has already closed
   * the sockets and woken the waits that could block them.
   *
   * @throws IllegalStateException naming the threads still alive after {@code timeout}
   */
  void joinAll(Duration timeout) {
    List<Thread> all;
    synchronized (this) {
      closed = true;
      all = List.copyOf(threads);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean interrupted = false;
    for (Thread t : all) {
      while (t.isAlive()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        try {
          t.join(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          interrupted = true;
          // Keep joining: returning early would leave threads running after close().
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    List<Thread> alive = all.stream().filter(Thread::isAlive).toList();
    if (!alive.isEmpty()) {
      throw new IllegalStateException("fault proxy threads still running after "
          + timeout.toSeconds() + "s: "
          + alive.stream().map(Thread::getName).collect(Collectors.joining(", ")));
    }
  }
}
