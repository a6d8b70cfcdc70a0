package dev.valkeyrie.etcdv2;

import dev.valkeyrie.store.ConnectionState;
import dev.valkeyrie.store.ConnectionStateListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The store's view of its connection: requests report whether the cluster served them, and the
 * state moves CONNECTED → SUSPENDED → (LOST) → RECONNECTED accordingly. While not connected, a
 * probe (a quorum read) runs every second, so recovery is noticed without application traffic.
 */
final class ConnectionMonitor implements StoreContext.Resource {
  private static final long PROBE_PERIOD_MS = 1_000;

  private final Duration lostAfter;
  private final List<Registered> listeners = new CopyOnWriteArrayList<>();
  private volatile ConnectionState state; // written under this
  private long suspendedAt; // guarded by this
  private StoreContext context;
  private Supplier<CompletableFuture<?>> probe;
  private Future<?> probing = CompletableFuture.completedFuture(null); // guarded by this

  ConnectionMonitor(Duration lostAfter) {
    this.lostAfter = lostAfter;
  }

  /** Wires the probe, which needs the client that reports here. */
  void start(StoreContext context, Supplier<CompletableFuture<?>> probe) {
    this.context = context;
    this.probe = probe;
    context.register(this);
  }

  synchronized ConnectionState state() {
    return state;
  }

  void addListener(ConnectionStateListener listener, Executor executor) {
    listeners.add(new Registered(listener, executor));
  }

  /** The cluster served a request. */
  void succeeded() {
    ConnectionState seen = state;
    if (seen == ConnectionState.CONNECTED || seen == ConnectionState.RECONNECTED) {
      return; // every successful request comes here: no lock while nothing changes
    }
    ConnectionState next;
    synchronized (this) {
      if (state == ConnectionState.CONNECTED || state == ConnectionState.RECONNECTED) {
        return;
      }
      next = state == null ? ConnectionState.CONNECTED : ConnectionState.RECONNECTED;
      state = next;
      probing.cancel(false);
    }
    announce(next);
  }

  /** No member could serve a request. */
  void failed() {
    synchronized (this) {
      if (state == ConnectionState.SUSPENDED || state == ConnectionState.LOST) {
        return;
      }
      state = ConnectionState.SUSPENDED;
      suspendedAt = System.nanoTime();
      startProbing();
    }
    announce(ConnectionState.SUSPENDED);
  }

  /** Called with the lock held. */
  private void startProbing() {
    if (context == null || context.isClosed()) {
      return;
    }
    try {
      probing = context.timer().scheduleWithFixedDelay(
          this::probeOnce, PROBE_PERIOD_MS, PROBE_PERIOD_MS, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // The store is closing.
    }
  }

  private void probeOnce() {
    boolean lost;
    synchronized (this) {
      lost = state == ConnectionState.SUSPENDED
          && System.nanoTime() - suspendedAt >= lostAfter.toNanos();
      if (lost) {
        state = ConnectionState.LOST;
      }
    }
    if (lost) {
      announce(ConnectionState.LOST);
    }
    probe.get(); // reports its own success or failure
  }

  private void announce(ConnectionState next) {
    for (Registered registered : listeners) {
      try {
        registered.executor.execute(() -> registered.listener.stateChanged(next));
      } catch (RejectedExecutionException e) {
        // The listener's executor is gone; nothing to tell it.
      }
    }
  }

  @Override
  public synchronized CompletableFuture<?> shutdown(Throwable cause) {
    probing.cancel(false);
    return CompletableFuture.completedFuture(null);
  }

  private record Registered(ConnectionStateListener listener, Executor executor) {}
}
