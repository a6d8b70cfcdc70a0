package dev.valkeyrie.store.recipes;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.valkeyrie.store.KeyEvent;
import dev.valkeyrie.store.KeyNotFoundException;
import dev.valkeyrie.store.Lease;
import dev.valkeyrie.store.ListenerRegistration;
import dev.valkeyrie.store.LockNotHeldException;
import dev.valkeyrie.store.LockOptions;
import dev.valkeyrie.store.Locker;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.store.Watch;
import dev.valkeyrie.store.WatchListener;
import dev.valkeyrie.store.WriteOptions;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * Leader election on top of a {@link Store}'s lock, in the manner of Curator's LeaderLatch and
 * etcd's election API: candidates {@link #campaign()} for the lock on {@code <election>/leader};
 * the holder is the leader and its name is the lock's value, readable by anyone with {@link
 * #leader()}. The name is deleted when the leader resigns or its lease ends, and it expires with
 * the lock if the leader's process dies, so {@link #leader()} never names a dead leader for longer
 * than the TTL.
 *
 * <pre>{@code
 * try (LeaderElection election = LeaderElection.builder(store, "services/scheduler")
 *     .candidate("host-a").ttl(Duration.ofSeconds(10)).build()) {
 *   election.addListener(new LeadershipListener() {
 *     public void revoked() { scheduler.pause(); }
 *   }, executor);
 *   Lease lease = election.campaign();   // blocks until elected
 *   scheduler.run(lease.fencingToken());
 * }
 * }</pre>
 *
 * <p>Thread-safe. One instance is one candidate; it can campaign again after it resigned or lost.
 */
public final class LeaderElection implements AutoCloseable {
  private final Store store;
  private final String directory;
  private final String leaderKey;
  private final String candidate;
  private final Locker locker;
  private final List<Registered> listeners = new CopyOnWriteArrayList<>();
  private @Nullable Lease lease; // guarded by this
  private @Nullable Watch<KeyEvent> observer; // guarded by this
  private boolean closed; // guarded by this

  private LeaderElection(Builder builder) {
    this.store = builder.store;
    this.directory = builder.election;
    this.leaderKey = builder.election + "/leader";
    this.candidate = builder.candidate;
    this.locker =
        store.newLock(
            leaderKey,
            LockOptions.builder()
                .value(candidate.getBytes(UTF_8))
                .ttl(builder.ttl)
                .deleteOnUnlock(true)
                .build());
  }

  /**
   * Starts building an election held in {@code election} on {@code store}.
   *
   * @param election the election's directory; it holds the leader key and nothing else should be
   *     written there
   */
  public static Builder builder(Store store, String election) {
    return new Builder(store, election);
  }

  /** Blocks until this candidate is the leader. */
  public Lease campaign() throws InterruptedException {
    checkOpen();
    return elected(locker.lock());
  }

  /** Campaigns for at most {@code timeout}; empty if not elected in time. */
  public Optional<Lease> campaign(Duration timeout) throws InterruptedException {
    checkOpen();
    Optional<Lease> won = locker.tryLock(timeout);
    won.ifPresent(this::elected);
    return won;
  }

  private Lease elected(Lease won) {
    synchronized (this) {
      lease = won;
    }
    notifyListeners(l -> l.elected(won));
    // A callback, not a result to wait for: it runs when the holding ends.
    var unused =
        won.released()
            .thenRun(
                () -> {
                  synchronized (this) {
                    if (lease != won) {
                      return;
                    }
                    lease = null;
                  }
                  notifyListeners(LeadershipListener::revoked);
                });
    return won;
  }

  /**
   * Gives up the leadership; other candidates can then be elected.
   *
   * @throws LockNotHeldException if this candidate is not the leader
   */
  public void resign() {
    locker.unlock();
  }

  /** Whether this candidate leads now (as far as it knows: its lease has not ended). */
  public synchronized boolean isLeader() {
    return lease != null && !lease.released().isDone();
  }

  /** The current leader's name, read from the store; empty while nobody leads. */
  public Optional<String> leader() {
    try {
      return Optional.of(store.get(leaderKey).valueAsString());
    } catch (KeyNotFoundException e) {
      return Optional.empty();
    }
  }

  /** This candidate's name. */
  public String candidate() {
    return candidate;
  }

  /**
   * Registers a listener, called on {@code executor}. The first registration starts watching the
   * election (for {@link LeadershipListener#leaderChanged}); the current leader, if any, is
   * reported first.
   *
   * @return closes to remove the listener
   */
  public ListenerRegistration addListener(LeadershipListener listener, Executor executor) {
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(executor, "executor");
    Registered registered = new Registered(listener, executor);
    listeners.add(registered);
    startObserving();
    return () -> listeners.remove(registered);
  }

  private synchronized void startObserving() {
    checkOpen();
    if (observer != null) {
      return;
    }
    store.put(directory, null, WriteOptions.builder().isDir(true).build());
    observer = store.watchTreeEvents(directory, null);
    observer.listen(
        new WatchListener<>() {
          @Override
          public void onUpdate(KeyEvent event) {
            if (event.key().equals(leaderKey)) {
              Optional<String> leader =
                  event.isRemoval() ? Optional.empty() : Optional.of(event.pair().valueAsString());
              notifyListeners(l -> l.leaderChanged(leader));
            }
          }
        },
        Runnable::run);
  }

  private void notifyListeners(java.util.function.Consumer<LeadershipListener> call) {
    for (Registered registered : listeners) {
      registered.executor.execute(() -> call.accept(registered.listener));
    }
  }

  /** Resigns if leading and stops watching. The store stays open. */
  @Override
  public void close() {
    Lease held;
    Watch<KeyEvent> watch;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      held = lease;
      watch = observer;
    }
    if (held != null) {
      held.close();
    }
    if (watch != null) {
      watch.close();
    }
  }

  private synchronized void checkOpen() {
    if (closed) {
      throw new IllegalStateException("election '" + directory + "' is closed");
    }
  }

  @Override
  public String toString() {
    return "LeaderElection[" + directory + ", candidate=" + candidate + "]";
  }

  private record Registered(LeadershipListener listener, Executor executor) {}

  /** Builds a {@link LeaderElection}. */
  public static final class Builder {
    private final Store store;
    private final String election;
    private String candidate = defaultCandidate();
    private Duration ttl = LockOptions.DEFAULT_TTL;

    private Builder(Store store, String election) {
      this.store = Objects.requireNonNull(store, "store");
      this.election = Objects.requireNonNull(election, "election");
    }

    /** This candidate's name, visible to all as {@link #leader()}; default host and pid. */
    public Builder candidate(String candidate) {
      this.candidate = Objects.requireNonNull(candidate, "candidate");
      return this;
    }

    /** How long leadership survives a leader that stopped renewing (a dead process). */
    public Builder ttl(Duration ttl) {
      this.ttl = Objects.requireNonNull(ttl, "ttl");
      return this;
    }

    public LeaderElection build() {
      return new LeaderElection(this);
    }

    private static String defaultCandidate() {
      String host;
      try {
        host = java.net.InetAddress.getLocalHost().getHostName();
      } catch (java.net.UnknownHostException e) {
        host = "unknown-host";
      }
      return host + "-" + ProcessHandle.current().pid();
    }
  }
}
