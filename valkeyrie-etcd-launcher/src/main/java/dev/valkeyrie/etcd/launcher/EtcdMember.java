package dev.valkeyrie.etcd.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One etcd process of an {@link EtcdCluster}. Its name, ports and data directory stay the same
 * across {@link #stop()}/{@link #kill()} and {@link #start()}, as with a real server that reboots.
 *
 * <p>Obtain members from {@link EtcdCluster#members()}. Methods are safe to call from several
 * threads; each waits for its effect before returning.
 */
public final class EtcdMember {
  private final MemberSpec spec;
  private final LaunchSettings settings;
  private final EtcdCluster cluster;
  private volatile @Nullable EtcdProcess process;
  // True once launched, and from the start for a member added to a running cluster: either way
  // the next launch uses --initial-cluster-state existing.
  private boolean launchedBefore;

  EtcdMember(MemberSpec spec, LaunchSettings settings, EtcdCluster cluster, boolean joining) {
    this.spec = spec;
    this.settings = settings;
    this.cluster = cluster;
    this.launchedBefore = joining;
  }

  /** The member name, {@code --name}; unique within the cluster. */
  public String name() {
    return spec.name();
  }

  /**
   * The client URL, {@code http://127.0.0.1:<port>} ({@code https://} with {@link
   * EtcdCluster.Builder#clientTls}); the same after a restart.
   */
  public String clientEndpoint() {
    return spec.clientUrl();
  }

  /**
   * The process id of the current process, or of the most recent one if the member is stopped.
   *
   * @throws IllegalStateException if the member was never started
   */
  public long pid() {
    return currentProcess().pid();
  }

  /** True while the process is alive, including while it is {@linkplain #pause() paused}. */
  public boolean isRunning() {
    EtcdProcess p = process;
    return p != null && p.isAlive();
  }

  /** Sends SIGKILL and waits until the process is gone. Does nothing if it is not running. */
  public synchronized void kill() {
    EtcdProcess p = process;
    if (p != null && p.isAlive()) {
      p.killAndWait();
    }
  }

  /**
   * Sends SIGTERM (resuming a paused process first) and waits for the exit; sends SIGKILL if etcd
   * has not exited after 10 seconds. A leader whose followers are down can take up to 7 seconds
   * (with default timings) trying to hand over leadership first. Does nothing if it is not running.
   */
  public synchronized void stop() {
    EtcdProcess p = process;
    if (p != null && p.isAlive()) {
      p.stop(settings.stopTimeout());
    }
  }

  /**
   * Sends SIGSTOP: the process stays alive but answers nothing (peers and clients time out), as
   * with a long GC pause or a frozen VM. Returns once the process is stopped.
   *
   * @throws IllegalStateException if the member is not running
   */
  public synchronized void pause() {
    requireRunning().pause();
  }

  /**
   * Sends SIGCONT to a paused member. Returns once the process runs again; it may need a moment to
   * catch up with the cluster.
   *
   * @throws IllegalStateException if the member is not running
   */
  public synchronized void resume() {
    requireRunning().resume();
  }

  /**
   * Starts the member again after {@link #stop()} or {@link #kill()}, with the same name, data
   * directory and ports, rejoining with {@code --initial-cluster-state existing}. Waits until it is
   * healthy and serves quorum v2 reads. Does nothing if it is running.
   *
   * @throws EtcdStartException if it exits or is not healthy within the cluster's start timeout;
   *     the message has the command line and the log tail
   * @throws IllegalStateException if the cluster is closed
   */
  public synchronized void start() {
    if (cluster.isClosed()) {
      throw new IllegalStateException("cluster is closed; cannot start member " + name());
    }
    if (isRunning()) {
      return;
    }
    EtcdProcess p = launch();
    Instant deadline = Instant.now().plus(settings.startTimeout());
    if (!awaitReady(p, deadline)) {
      String message =
          p.describe(
              "etcd member "
                  + name()
                  + " did not become healthy within "
                  + settings.startTimeout().toSeconds()
                  + "s");
      p.killAndWait();
      throw new EtcdStartException(message);
    }
  }

  /**
   * Starts the member again like {@link #start()}, but returns as soon as the process runs, without
   * waiting for it to be healthy: for a member that cannot be healthy on its own, such as the first
   * of two members restarted after a majority went down. Follow with {@link #awaitReady()}, or use
   * {@link EtcdCluster#startAll()}. Does nothing if it is running.
   *
   * @throws IllegalStateException if the cluster is closed
   */
  public synchronized void startWithoutWaiting() {
    if (cluster.isClosed()) {
      throw new IllegalStateException("cluster is closed; cannot start member " + name());
    }
    if (!isRunning()) {
      launch();
    }
  }

  /**
   * Waits, up to the cluster's start timeout, until the member is healthy and serves quorum v2
   * reads. Leaves the process running if it is not.
   *
   * @throws EtcdStartException if it is not running, exits, or is not ready in time; the message
   *     has the command line and the log tail
   */
  public void awaitReady() {
    EtcdProcess p = process;
    if (p == null) {
      throw new EtcdStartException("etcd member " + name() + " was never started");
    }
    if (!awaitReady(p, Instant.now().plus(settings.startTimeout()))) {
      throw new EtcdStartException(
          p.describe(
              "etcd member "
                  + name()
                  + " is not running and healthy after "
                  + settings.startTimeout().toSeconds()
                  + "s"));
    }
  }

  /**
   * The HTTP requests this member logged on its client port, oldest first, across all its runs.
   * etcd logs them only at debug level: start the cluster with {@code
   * extraArgs("--log-level=debug")}.
   *
   * @throws IllegalStateException if the member does not log at debug level
   */
  public List<LoggedRequest> loggedRequests() {
    String level = "";
    for (String arg : settings.extraArgs()) {
      if (arg.startsWith("--log-level=")) {
        level = arg.substring("--log-level=".length());
      }
    }
    if (!level.equals("debug")) {
      throw new IllegalStateException(
          "member "
              + name()
              + " does not log requests; build its cluster with"
              + " extraArgs(\"--log-level=debug\")");
    }
    return LoggedRequest.readAll(spec.logFile());
  }

  /** The data directory, {@code --data-dir}; kept across restarts, deleted on cluster close. */
  public Path dataDirectory() {
    return spec.dataDir();
  }

  @Override
  public String toString() {
    return "EtcdMember[" + name() + " " + clientEndpoint() + (isRunning() ? "" : " stopped") + "]";
  }

  // ---- package-private, used by EtcdCluster and the classes it delegates to ----

  /**
   * Spawns the process without waiting: {@code new} the first time, {@code existing} afterwards.
   */
  synchronized EtcdProcess launch() {
    String state = launchedBefore ? EtcdCommand.STATE_EXISTING : EtcdCommand.STATE_NEW;
    List<String> command =
        EtcdCommand.build(
            settings.binary().path(),
            spec,
            settings.initialCluster(),
            state,
            settings.clusterToken(),
            settings.clientTls(),
            settings.v2Api(),
            settings.extraArgs());
    try {
      Files.createDirectories(spec.directory());
      EtcdProcess p = EtcdProcess.launch(command, spec.logFile());
      process = p;
      launchedBefore = true;
      // close() sets the flag before reading process; both are volatile, so a launch racing with
      // close() is either seen and stopped by close() or sees the flag here.
      if (cluster.isClosed()) {
        p.killAndWait();
        throw new IllegalStateException("cluster closed while starting member " + name());
      }
      return p;
    } catch (IOException e) {
      if (!Files.isExecutable(settings.binary().path())) {
        throw settings.binary().notInstalled(); // removed since the cluster started
      }
      throw new EtcdStartException("cannot run " + String.join(" ", command), e);
    }
  }

  /** Healthy and serving quorum reads; requests do not run (much) past {@code deadline}. */
  boolean isReady(Instant deadline) {
    return EtcdProbe.isReady(
        cluster.http(),
        clientEndpoint(),
        settings.v2Api(),
        Poll.remaining(deadline, EtcdProbe.REQUEST_TIMEOUT));
  }

  /** Until {@code deadline}: true once ready, false if {@code p} exits or time runs out. */
  private boolean awaitReady(EtcdProcess p, Instant deadline) {
    return Poll.until(deadline, () -> !p.isAlive() || isReady(deadline)) && p.isAlive();
  }

  MemberSpec spec() {
    return spec;
  }

  /** Reachable for HTTP questions: alive and not paused. */
  boolean isAnswering() {
    EtcdProcess p = process;
    return p != null && p.isAlive() && !p.isPaused();
  }

  /** The process of the last launch, or {@code null} before the first. */
  @Nullable EtcdProcess process() {
    return process;
  }

  /**
   * The process of the last launch.
   *
   * @throws IllegalStateException if the member was never launched
   */
  EtcdProcess launchedProcess() {
    EtcdProcess p = process;
    if (p == null) {
      throw new IllegalStateException("etcd member " + name() + " was never launched");
    }
    return p;
  }

  /** SIGKILL without the member lock: for the JVM shutdown hook only. */
  void killForShutdown() {
    EtcdProcess p = process;
    if (p != null && p.isAlive()) {
      p.killAndWait();
    }
  }

  private EtcdProcess currentProcess() {
    EtcdProcess p = process;
    if (p == null) {
      throw new IllegalStateException("member " + name() + " was never started");
    }
    return p;
  }

  private EtcdProcess requireRunning() {
    EtcdProcess p = process;
    if (p == null || !p.isAlive()) {
      throw new IllegalStateException("member " + name() + " is not running");
    }
    return p;
  }
}
