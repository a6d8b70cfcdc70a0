package dev.valkeyrie.etcd.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

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
   * @return the thread, or null (starting nothing) once {@link #joinAll} has begun
   */
  @Nullable Thread start(String name, Runnable task) {
    return start(name, task, null);
  }

  /**
   * The same, handing the thread to {@code owner} before it starts, so that whoever waits for the
   * owner's threads never misses one that already runs.
   */
  synchronized @Nullable Thread start(String name, Runnable task, @Nullable Connection owner) {
    if (closed) {
      return null;
    }
    threads.removeIf(t -> !t.isAlive());
    Thread thread = new Thread(task, prefix + name);
    thread.setDaemon(true);
    threads.add(thread);
    if (owner != null) {
      owner.adopt(thread);
    }
    thread.start();
    return thread;
  }

  /**
   * Waits for one thread to terminate.
   *
   * @throws IllegalStateException if it is still running after {@code timeout}
   */
  static void join(Thread thread, Duration timeout) {
    boolean interrupted = false;
    long deadline = System.nanoTime() + timeout.toNanos();
    while (thread.isAlive()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      try {
        thread.join(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        interrupted = true; // keep waiting: the caller relies on the thread having ended
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      throw new IllegalStateException(
          thread.getName() + " still running after " + timeout.toSeconds() + "s");
    }
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
    for (Thread t : all) {
      try {
        join(t, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
      } catch (IllegalStateException stillRunning) {
        // Reported below, with every other thread still running.
      }
    }
    List<Thread> alive = all.stream().filter(Thread::isAlive).toList();
    if (!alive.isEmpty()) {
      throw new IllegalStateException(
          "fault proxy threads still running after "
              + timeout.toSeconds()
              + "s: "
              + alive.stream().map(Thread::getName).collect(Collectors.joining(", ")));
    }
  }
}
