package dev.valkeyrie.testsuite.linearizability;

import dev.valkeyrie.store.Store;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A linearizability test of a store: several clients, each with its own store, make random puts,
 * consistent gets, atomicPuts and atomicDeletes on a few keys for a while, optionally while a fault
 * action breaks the cluster; every call is recorded with when it was made, when it returned and how
 * it ended, and {@link LinearizabilityChecker} checks the history.
 *
 * <pre>{@code
 * RunReport report = LinearizabilityRun.builder(() -> EtcdV2Store.open(ETCD.endpoints(), config))
 *     .keyPrefix(prefix())
 *     .faults(() -> { ETCD.kill(member); ...; ETCD.restart(member); return "killed " + member; })
 *     .build()
 *     .run();
 * report.assertLinearizable();
 * }</pre>
 *
 * <p>The keys must not exist when the run starts (use a fresh prefix); the run leaves them behind.
 * At the end the clients finish the call they are in (each bounded by the store's own request
 * timeout) and stop; after {@link Builder#stopTimeout} more they are interrupted and the run
 * reports a problem. Calls still running then count as unknown outcomes. Every store is closed.
 */
public final class LinearizabilityRun {

  /** Breaks the cluster once, for example kills, pauses or partitions a member, and restores it. */
  @FunctionalInterface
  public interface FaultAction {
    /**
     * Injects one fault. Called again and again on one thread while the clients run, with {@link
     * Builder#faultPause} after each call; may block for as long as the fault lasts. It should
     * leave the cluster as it found it when it returns, since the last call is allowed to finish.
     *
     * @return a short description for the report, such as {@code "paused etcd-2 for 3s"}
     */
    String inject() throws Exception;
  }

  /** How long threads get to stop once interrupted and with their store closed. */
  private static final Duration FINAL_JOIN = Duration.ofSeconds(5);

  private final Settings config;

  /** What a {@link Builder} configured, fixed at {@link Builder#build()}. */
  private record Settings(
      Supplier<Store> stores,
      String keyPrefix,
      int keys,
      int clients,
      Duration duration,
      long maxCallsPerClient,
      @Nullable FaultAction faults,
      Duration faultPause,
      Duration stopTimeout,
      long maxStepsPerKey,
      long seed) {}

  private LinearizabilityRun(Settings config) {
    this.config = config;
  }

  /**
   * Starts configuring a run whose clients each use a store from {@code stores}.
   *
   * @param stores opens one store for one client; called once per client, before the run
   */
  public static Builder builder(Supplier<Store> stores) {
    return new Builder(stores);
  }

  /**
   * Runs the clients (and faults) for the duration, or until each made its calls, then checks the
   * history.
   */
  public RunReport run() throws InterruptedException {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < config.keys; i++) {
      keys.add(config.keyPrefix + "/k" + i);
    }
    Queue<String> problems = new ConcurrentLinkedQueue<>();
    List<Store> stores = new ArrayList<>();
    List<Thread> clients = new ArrayList<>();
    Recorder recorder = new Recorder();
    RunWindow window = new RunWindow(config.clients + (config.faults == null ? 0 : 1));
    FaultLoop faults =
        config.faults == null ? null : new FaultLoop(config.faults, config.faultPause, window);
    Thread faultThread = null;
    Duration elapsed = Duration.ZERO;
    try {
      for (int i = 0; i < config.clients; i++) {
        stores.add(Objects.requireNonNull(config.stores.get(), "the store supplier returned null"));
      }
      for (String key : keys) {
        if (stores.get(0).exists(key)) {
          throw new IllegalStateException(key + " exists: a run needs keys that do not exist yet");
        }
      }
      for (int i = 0; i < config.clients; i++) {
        ClientLoop loop =
            new ClientLoop(
                i,
                stores.get(i),
                keys,
                recorder,
                config.seed + i,
                window::running,
                config.maxCallsPerClient);
        clients.add(
            start(
                "linearizability-client-" + i,
                problems,
                () -> {
                  window.awaitOpen();
                  loop.run();
                }));
      }
      if (faults != null) {
        faultThread = start("linearizability-faults", problems, () -> faults.run());
      }
      if (!window.open(config.duration, config.stopTimeout)) {
        throw new IllegalStateException(
            "the run's threads were not ready within " + config.stopTimeout);
      }
      long guard =
          System.nanoTime() + Math.max(0, window.remainingNanos()) + config.stopTimeout.toNanos();
      for (int i = 0; i < clients.size(); i++) {
        if (!joined(clients.get(i), guard)) {
          problems.add(
              "client "
                  + i
                  + " was still in a call "
                  + millis(config.stopTimeout)
                  + " after the end of the run: interrupted");
        }
      }
      elapsed = window.elapsed();
      window.close();
      if (faultThread != null
          && !joined(faultThread, System.nanoTime() + config.stopTimeout.toNanos())) {
        problems.add(
            "the fault action had not returned "
                + millis(config.stopTimeout)
                + " after the end of the run: interrupted");
      }
    } finally {
      window.close();
      clients.forEach(Thread::interrupt);
      if (faultThread != null) {
        faultThread.interrupt();
      }
      for (Store store : stores) {
        try {
          store.close();
        } catch (RuntimeException e) {
          problems.add("closing a store failed: " + e);
        }
      }
      List<Thread> all = new ArrayList<>(clients);
      if (faultThread != null) {
        all.add(faultThread);
      }
      awaitStopped(all, problems);
    }
    if (faults != null && faults.failure() != null) {
      problems.add(faults.failure());
    }
    List<Operation> history = recorder.finish();
    CheckResult check = LinearizabilityChecker.check(history, config.maxStepsPerKey);
    return new RunReport(
        check,
        recorder.recorded(),
        history.size(),
        check.unknownOutcomes(),
        recorder.dropped(),
        recorder.unexpected(),
        recorder.unexpectedSamples(),
        recorder.unfinished(),
        faults == null ? List.of() : faults.faults(),
        List.copyOf(problems),
        keys,
        config.clients,
        config.seed,
        elapsed);
  }

  /** The body of a run thread. */
  private interface Body {
    void run() throws InterruptedException;
  }

  private static Thread start(String name, Queue<String> problems, Body body) {
    Thread thread =
        new Thread(
            () -> {
              try {
                body.run();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (RuntimeException | Error e) {
                problems.add(name + " died: " + e);
              }
            },
            name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /**
   * Waits a little for threads interrupted and with their store closed, which a well-behaved store
   * call ends at once; reports any that still runs (it is a daemon thread: it cannot keep the JVM
   * alive).
   */
  private static void awaitStopped(List<Thread> threads, Queue<String> problems) {
    long deadline = System.nanoTime() + FINAL_JOIN.toNanos();
    boolean interrupted = false;
    for (Thread thread : threads) {
      try {
        TimeUnit.NANOSECONDS.timedJoin(thread, Math.max(1, deadline - System.nanoTime()));
      } catch (InterruptedException e) {
        interrupted = true;
      }
      if (thread.isAlive()) {
        problems.add(
            thread.getName()
                + " did not stop even when interrupted and with its store"
                + " closed");
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static String millis(Duration duration) {
    return duration.toMillis() + " ms";
  }

  /** Waits for the thread until {@code deadline}; interrupts it if it is still alive then. */
  private static boolean joined(Thread thread, long deadline) throws InterruptedException {
    long left = deadline - System.nanoTime();
    if (left > 0) {
      TimeUnit.NANOSECONDS.timedJoin(thread, left);
    }
    if (!thread.isAlive()) {
      return true;
    }
    thread.interrupt();
    return false;
  }

  /** Configures a {@link LinearizabilityRun}. */
  public static final class Builder {
    private final Supplier<Store> stores;
    private @Nullable String keyPrefix;
    private int keys = 3;
    private int clients = 5;
    private Duration duration = Duration.ofSeconds(20);
    private long maxCallsPerClient = Long.MAX_VALUE;
    private @Nullable FaultAction faults;
    private Duration faultPause = Duration.ofSeconds(1);
    private Duration stopTimeout = Duration.ofSeconds(60);
    private long maxStepsPerKey = LinearizabilityChecker.DEFAULT_MAX_STEPS_PER_KEY;
    private long seed = ThreadLocalRandom.current().nextLong();

    private Builder(Supplier<Store> stores) {
      this.stores = Objects.requireNonNull(stores, "stores");
    }

    /** The directory of the keys, {@code <prefix>/k0} and so on. Required; must not exist. */
    public Builder keyPrefix(String keyPrefix) {
      this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix").replaceAll("/+$", "");
      return this;
    }

    /** How many keys the clients share. Default 3. */
    public Builder keys(int keys) {
      this.keys = positive(keys, "keys");
      return this;
    }

    /** How many clients (threads, each with its own store). Default 5. */
    public Builder clients(int clients) {
      this.clients = positive(clients, "clients");
      return this;
    }

    /** How long the clients run. Default 20 seconds. */
    public Builder duration(Duration duration) {
      this.duration = Objects.requireNonNull(duration, "duration");
      return this;
    }

    /**
     * Stops each client after this many calls, even if the duration is not over: bounds the
     * history, and so the work of checking it, whatever the store's speed. Default no limit.
     */
    public Builder maxCallsPerClient(long maxCallsPerClient) {
      if (maxCallsPerClient <= 0) {
        throw new IllegalArgumentException(
            "maxCallsPerClient must be positive: " + maxCallsPerClient);
      }
      this.maxCallsPerClient = maxCallsPerClient;
      return this;
    }

    /** What breaks the cluster during the run, on a thread of its own. Default none. */
    public Builder faults(FaultAction faults) {
      this.faults = Objects.requireNonNull(faults, "faults");
      return this;
    }

    /** The pause after each fault, before the next. Default 1 second. */
    public Builder faultPause(Duration faultPause) {
      this.faultPause = Objects.requireNonNull(faultPause, "faultPause");
      return this;
    }

    /**
     * How long the end of the run waits for the clients' calls in flight, and for the fault action,
     * before it interrupts them and reports a problem. Default 60 seconds.
     */
    public Builder stopTimeout(Duration stopTimeout) {
      this.stopTimeout = Objects.requireNonNull(stopTimeout, "stopTimeout");
      return this;
    }

    /**
     * The checker's step limit per key. Default {@link
     * LinearizabilityChecker#DEFAULT_MAX_STEPS_PER_KEY}.
     */
    public Builder maxStepsPerKey(long maxStepsPerKey) {
      if (maxStepsPerKey <= 0) {
        throw new IllegalArgumentException("maxStepsPerKey must be positive: " + maxStepsPerKey);
      }
      this.maxStepsPerKey = maxStepsPerKey;
      return this;
    }

    /** The seed of the clients' random choices, to repeat a run's workload. Default random. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public LinearizabilityRun build() {
      if (keyPrefix == null || keyPrefix.isBlank()) {
        throw new IllegalStateException("keyPrefix is required");
      }
      return new LinearizabilityRun(
          new Settings(
              stores,
              keyPrefix,
              keys,
              clients,
              duration,
              maxCallsPerClient,
              faults,
              faultPause,
              stopTimeout,
              maxStepsPerKey,
              seed));
    }

    private static int positive(int value, String name) {
      if (value <= 0) {
        throw new IllegalArgumentException(name + " must be positive: " + value);
      }
      return value;
    }
  }
}
