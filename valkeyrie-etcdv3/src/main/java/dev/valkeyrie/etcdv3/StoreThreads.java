package dev.valkeyrie.etcdv3;

import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every thread of one store, all daemon and named {@code valkeyrie-etcdv3-<store>-...}: one Netty
 * event loop for every channel ({@code -io}), two threads for gRPC callbacks and the continuations
 * of asynchronous calls ({@code -callback}), and one timer ({@code -timer}). gRPC's JVM-wide shared
 * pools are never used, so {@link #close()} can wait until each thread is gone.
 *
 * <p>Nothing running on these threads may block: callbacks hand long work elsewhere.
 */
final class StoreThreads implements AutoCloseable {
  private static final AtomicInteger STORES = new AtomicInteger();
  private static final long JOIN_SECONDS = 10;

  private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
  private final String prefix;
  private final EventLoopGroup io;
  private final ThreadPoolExecutor callbacks;
  private final ScheduledThreadPoolExecutor timer;

  StoreThreads() {
    this.prefix = "valkeyrie-etcdv3-" + STORES.incrementAndGet();
    this.io = new MultiThreadIoEventLoopGroup(1, factory("io"), NioIoHandler.newFactory());
    this.callbacks =
        new ThreadPoolExecutor(
            2, 2, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), factory("callback"));
    this.callbacks.allowCoreThreadTimeOut(true);
    this.timer = new ScheduledThreadPoolExecutor(1, factory("timer"));
    timer.setRemoveOnCancelPolicy(true);
    timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  private ThreadFactory factory(String role) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + "-" + role + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      threads.add(thread);
      return thread;
    };
  }

  EventLoopGroup io() {
    return io;
  }

  /** Runs gRPC callbacks and the continuations of asynchronous calls. */
  ExecutorService callbacks() {
    return callbacks;
  }

  ScheduledThreadPoolExecutor timer() {
    return timer;
  }

  /** The prefix of every thread name of this store. */
  String threadPrefix() {
    return prefix;
  }

  /** Stops every thread and waits until each is gone. Call after the channels are closed. */
  @Override
  public void close() {
    timer.shutdownNow();
    var unused = io.shutdownGracefully(0, 0, TimeUnit.SECONDS);
    callbacks.shutdown();
    try {
      io.terminationFuture().await(JOIN_SECONDS, TimeUnit.SECONDS);
      if (!callbacks.awaitTermination(JOIN_SECONDS, TimeUnit.SECONDS)) {
        callbacks.shutdownNow();
      }
      timer.awaitTermination(JOIN_SECONDS, TimeUnit.SECONDS);
      // A terminated pool's worker may still be on its way out: wait until it is gone.
      for (Thread thread : threads) {
        if (thread != Thread.currentThread()) {
          thread.join(TimeUnit.SECONDS.toMillis(JOIN_SECONDS));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
