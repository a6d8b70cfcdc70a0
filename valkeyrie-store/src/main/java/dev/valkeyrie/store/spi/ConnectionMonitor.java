package dev.valkeyrie.store.spi;

import dev.valkeyrie.store.ConnectionState;
import dev.valkeyrie.store.ConnectionStateListener;
import dev.valkeyrie.store.ListenerRegistration;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A store's view of its connection, for any backend: requests report whether the cluster served
 * them, and the state moves CONNECTED → SUSPENDED → (LOST) → RECONNECTED accordingly. While not
 * connected, a probe runs every {@code probePeriod}, so recovery is noticed without application
 * traffic; LOST is entered by the first probe after {@code lostAfter} in SUSPENDED.
 *
 * <p>Listeners are called on their own executors, in the order the states were entered.
 */
public final class ConnectionMonitor implements AutoCloseable {
  private final Duration lostAfter;
  private final Duration probePeriod;
  private final ScheduledExecutorService timer;
  private final Ticker ticker;
  private final List<Registered> listeners = new CopyOnWriteArrayList<>();
  private volatile @Nullable ConnectionState state; // written under this
  private long suspendedAt; // guarded by this
  private boolean closed; // guarded by this
  private Supplier<? extends CompletionStage<?>> probe =
      () -> CompletableFuture.completedFuture(null);
  private Future<?> probing = CompletableFuture.completedFuture(null); // guarded by this

  /**
   * @param timer runs the probe; its tasks must not block
   * @param ticker the clock that measures how long the store was suspended
   */
  public ConnectionMonitor(
      Duration lostAfter, Duration probePeriod, ScheduledExecutorService timer, Ticker ticker) {
    this.lostAfter = Objects.requireNonNull(lostAfter, "lostAfter");
    this.probePeriod = Objects.requireNonNull(probePeriod, "probePeriod");
    this.timer = Objects.requireNonNull(timer, "timer");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
  }

  /**
   * Sets what a probe does: a request whose outcome reports back here (through {@link #succeeded}
   * or {@link #failed}), as every request does. Set once, before the first failure: the request
   * goes through a client that already reports to this monitor.
   */
  public synchronized void probeWith(Supplier<? extends CompletionStage<?>> probe) {
    this.probe = Objects.requireNonNull(probe, "probe");
  }

  /** The current state, or {@code null} before the first request. */
  public @Nullable ConnectionState state() {
    return state;
  }

  /** Calls {@code listener} on {@code executor} for every state entered from now on. */
  public ListenerRegistration addListener(ConnectionStateListener listener, Executor executor) {
    Registered registered =
        new Registered(
            Objects.requireNonNull(listener, "listener"),
            Objects.requireNonNull(executor, "executor"));
    listeners.add(registered);
    return () -> listeners.remove(registered);
  }

  /** The cluster served a request. */
  public void succeeded() {
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
  public void failed() {
    synchronized (this) {
      if (state == ConnectionState.SUSPENDED || state == ConnectionState.LOST) {
        return;
      }
      state = ConnectionState.SUSPENDED;
      suspendedAt = ticker.read();
      startProbing();
    }
    announce(ConnectionState.SUSPENDED);
  }

  /** Called with the lock held. */
  private void startProbing() {
    if (closed) {
      return;
    }
    long period = probePeriod.toNanos();
    try {
      probing = timer.scheduleWithFixedDelay(this::probeOnce, period, period, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // The store is closing.
    }
  }

  /** One probe; LOST first, when the store has been suspended for too long. */
  void probeOnce() {
    boolean lost;
    Supplier<? extends CompletionStage<?>> request;
    synchronized (this) {
      lost =
          state == ConnectionState.SUSPENDED && ticker.read() - suspendedAt >= lostAfter.toNanos();
      if (lost) {
        state = ConnectionState.LOST;
      }
      request = probe;
    }
    if (lost) {
      announce(ConnectionState.LOST);
    }
    var unused = request.get(); // reports its own success or failure
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

  /** Stops probing. Listeners hear nothing more. */
  @Override
  public synchronized void close() {
    closed = true;
    probing.cancel(false);
    listeners.clear();
  }

  private record Registered(ConnectionStateListener listener, Executor executor) {}
}
