package dev.valkeyrie.etcd.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A cluster of real etcd processes on {@code 127.0.0.1}, serving the v3 API and (unless {@link
 * Builder#v2Api(boolean)} turns it off) the v2 API, for tests and examples.
 *
 * <pre>{@code
 * try (EtcdCluster etcd = EtcdCluster.builder().members(3).build().start()) {
 *   String endpoint = etcd.clientEndpoints().get(0);
 *   ...
 * }
 * }</pre>
 *
 * <p>Each member gets free client and peer ports and a directory under a fresh temporary directory
 * ({@code valkeyrie-etcd-<name>-*}) holding its data directory and its log file ({@code etcd.log},
 * stdout and stderr of every run). {@link #close()} stops every process and deletes that directory;
 * a JVM shutdown hook does the same for clusters that were never closed.
 *
 * <p>With {@link Builder#clientTls(ClientTls)} members serve clients over https (peers stay on
 * http). {@link #addMember()} grows a running cluster; {@link EtcdAuth} turns on etcd's v2
 * authentication, after which the launcher's own requests use the root credentials.
 *
 * <p>The binary is {@code /usr/bin/etcd} (Debian package {@code etcd-server}, etcd 3.4) unless
 * {@link Builder#etcdBinary(Path)} or the environment variable {@code VALKEYRIE_ETCD_BINARY} says
 * otherwise.
 *
 * <p>Methods are thread-safe; a cluster can be started once and closed once.
 */
public final class EtcdCluster implements AutoCloseable {
  private final ClusterConfig config;
  private final Runnable shutdownAction = this::killForShutdown;
  // How the launcher talks to members: TLS as configured, root credentials once EtcdAuth ran.
  private volatile LoopbackHttp http;

  // Volatile: read without the lock by leader() and the shutdown hook.
  private volatile @Nullable Path root;
  private volatile List<EtcdMember> members = List.of();
  // The settings of the successful start, for members added later.
  private volatile @Nullable LaunchSettings settings;
  private volatile boolean started;
  private volatile boolean closed;

  private EtcdCluster(Builder builder) {
    this.config =
        new ClusterConfig(
            builder.name,
            builder.members,
            EtcdBinary.resolve(builder.etcdBinary, System.getenv()),
            builder.extraArgs,
            builder.startTimeout,
            builder.clientTls,
            builder.v2Api);
    ClientTls tls = config.clientTls();
    this.http = tls == null ? LoopbackHttp.PLAIN : LoopbackHttp.PLAIN.withTls(tls.probeContext());
  }

  /** A builder with defaults: one member, {@code /usr/bin/etcd}, 30 s start timeout. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts all members and waits until every member's {@code GET /health} reports healthy and a
   * write (a hidden probe key, deleted again; through v3's JSON gateway when the v2 API is off)
   * succeeds. Retries with new ports if a port turned out to be taken. Calling it again on a
   * started cluster does nothing.
   *
   * @return this cluster
   * @throws EtcdNotInstalledException if the etcd binary is missing
   * @throws EtcdStartException if a member exits or the cluster is not ready within the start
   *     timeout; the message has the command line and the tail of the member's log. Everything
   *     started so far is cleaned up first.
   * @throws IllegalStateException if the cluster was closed
   */
  public synchronized EtcdCluster start() {
    if (closed) {
      throw new IllegalStateException("cluster " + config.name() + " is closed");
    }
    if (started) {
      return this;
    }
    config.binary().requireInstalled();
    try {
      root = Files.createTempDirectory("valkeyrie-etcd-" + config.name() + "-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory for etcd", e);
    }
    ShutdownCleanup.register(shutdownAction);
    try {
      ClusterStart.StartedMembers up =
          new ClusterStart(config, root, this).run(list -> members = list);
      settings = up.settings();
      started = true;
      return this;
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * The client URLs ({@code http://127.0.0.1:<port>}, or {@code https://} with client TLS), in
   * member order, added members last.
   *
   * @throws IllegalStateException if the cluster is not started
   */
  public List<String> clientEndpoints() {
    return requireStarted().stream().map(EtcdMember::clientEndpoint).toList();
  }

  /**
   * All members, in order (added members last), including stopped ones.
   *
   * @throws IllegalStateException if the cluster is not started
   */
  public List<EtcdMember> members() {
    return requireStarted();
  }

  /**
   * The member at {@code index} (0-based).
   *
   * @throws IllegalStateException if the cluster is not started
   * @throws IndexOutOfBoundsException if there is no such member
   */
  public EtcdMember member(int index) {
    return requireStarted().get(index);
  }

  /**
   * The current leader, as reported by {@code GET /v2/members/leader} of a running member. Waits
   * (up to the start timeout) until some running, unpaused member names a leader that is itself
   * running and unpaused, so right after the leader was killed this returns its successor.
   *
   * @throws IllegalStateException if the cluster is not started, was built with {@code
   *     v2Api(false)}, or no live leader emerges in time
   */
  public EtcdMember leader() {
    List<EtcdMember> current = requireStarted();
    requireV2("leader()");
    Duration startTimeout = config.startTimeout();
    return LeaderLookup.await(this, current, Instant.now().plus(startTimeout))
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "no running member of "
                        + config.name()
                        + " reported a live leader within "
                        + startTimeout.toSeconds()
                        + "s"));
  }

  /**
   * Adds a member to the running cluster: announces its peer URL ({@code POST /v2/members}), starts
   * it with {@code --initial-cluster} listing every member and {@code --initial-cluster-state
   * existing}, and waits until it is healthy, serves quorum reads, and every running member lists
   * its client URL (so a client syncing its member list finds it). It is named {@code <name>-<n>},
   * gets free ports, and then behaves like any other member ({@link #members()}, {@link
   * #clientEndpoints()}, stop and restart).
   *
   * <p>etcd refuses additions until the leader has been connected to every member for 5 seconds
   * (its strict reconfiguration check); this waits that out, within the start timeout. Adding a
   * member raises the quorum: with 1 member, the cluster has no quorum until the new one runs.
   *
   * @return the new, running member
   * @throws EtcdStartException if etcd does not accept the member or it does not become ready; the
   *     addition is undone (best effort) and its process stopped
   * @throws IllegalStateException if the cluster is not started or closed, was built with {@code
   *     v2Api(false)}, or no member runs
   */
  public synchronized EtcdMember addMember() {
    if (closed) {
      throw new IllegalStateException("cluster " + config.name() + " is closed");
    }
    List<EtcdMember> current = requireStarted();
    requireV2("addMember()");
    // Published before the member launches, so close() and the hook see it.
    // Both set before started (which requireStarted checked).
    Path dir = Objects.requireNonNull(root, "root");
    LaunchSettings launch = Objects.requireNonNull(settings, "settings");
    return new MemberAddition(config, dir, launch, this).add(current, list -> members = list);
  }

  /**
   * Starts every member that is not running, all at once, then waits until every member is ready.
   * For restoring a cluster after a fault test (in a {@code finally} block), including after a
   * majority went down, when members started one at a time would each wait for a quorum that only
   * the others can complete.
   *
   * @throws EtcdStartException if a member does not become ready within the start timeout
   * @throws IllegalStateException if the cluster is not started or closed
   */
  public void startAll() {
    List<EtcdMember> all = requireStarted();
    for (EtcdMember m : all) {
      if (!m.isRunning()) {
        m.startWithoutWaiting();
      }
    }
    for (EtcdMember m : all) {
      m.awaitReady();
    }
  }

  /**
   * Stops every member and deletes all data directories and logs. Idempotent. Members get SIGTERM
   * (paused ones are resumed first), followers before the leader, and SIGKILL if they have not
   * exited within a second: the data is discarded anyway.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      MemberTermination.stopAll(http, members);
    } finally {
      Directories.deleteRecursively(root);
      ShutdownCleanup.unregister(shutdownAction);
    }
  }

  @Override
  public String toString() {
    String state = closed ? "closed" : started ? "started" : "not started";
    return "EtcdCluster[" + config.name() + ", " + config.size() + " member(s), " + state + "]";
  }

  boolean isClosed() {
    return closed;
  }

  /** How the launcher talks to members now. */
  LoopbackHttp http() {
    return http;
  }

  /**
   * From now on the launcher's own requests carry these credentials (set by {@link EtcdAuth} once
   * v2 auth is on: the readiness probe reads a key, which then needs them).
   */
  void useCredentials(String user, String password) {
    http = http.withBasicAuth(user, password);
  }

  private List<EtcdMember> requireStarted() {
    if (!started) {
      throw new IllegalStateException("cluster " + config.name() + " is not started; call start()");
    }
    return members;
  }

  /** Runs in the shutdown hook: no locks, SIGKILL (the data is deleted anyway). */
  private void killForShutdown() {
    MemberTermination.killAll(members);
    Directories.deleteRecursively(root);
  }

  /**
   * Configures an {@link EtcdCluster}. Not thread-safe; {@link #build()} takes a snapshot, so a
   * builder can be reused.
   */
  /** The launcher asks the v2 members API for leaders and member changes. */
  private void requireV2(String call) {
    if (!config.v2Api()) {
      throw new IllegalStateException(
          call + " asks the v2 members API, which cluster " + config.name() + " does not serve");
    }
  }

  public static final class Builder {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,39}");

    private int members = 1;
    private @Nullable Path etcdBinary;
    private final List<String> extraArgs = new ArrayList<>();
    private Duration startTimeout = Duration.ofSeconds(30);
    private String name = "etcd";
    private @Nullable ClientTls clientTls;
    private boolean v2Api = true;

    private Builder() {}

    /**
     * Whether members serve etcd's v2 API beside v3 ({@code --enable-v2}); default true. With
     * false, members answer the v2 paths with a plain-text {@code 404 page not found}, as etcd 3.4
     * and later do by default; the launcher then probes readiness through v3's JSON gateway, and
     * {@link EtcdCluster#leader()} and {@link EtcdCluster#addMember()}, which use the v2 members
     * API, are refused.
     */
    public Builder v2Api(boolean enabled) {
      this.v2Api = enabled;
      return this;
    }

    /**
     * Members serve clients over https with these certificates; {@link
     * EtcdCluster#clientEndpoints()} are then {@code https://127.0.0.1:<port>} URLs, and the
     * launcher's probes use TLS too. Default: plain http. Peer traffic stays plain http.
     */
    public Builder clientTls(ClientTls tls) {
      this.clientTls = Objects.requireNonNull(tls, "tls");
      return this;
    }

    /** Number of members, at least 1; default 1. Use an odd number for a fault-tolerant cluster. */
    public Builder members(int count) {
      if (count < 1) {
        throw new IllegalArgumentException("members must be at least 1, was " + count);
      }
      this.members = count;
      return this;
    }

    /**
     * The etcd binary; default {@code /usr/bin/etcd}, or the environment variable {@code
     * VALKEYRIE_ETCD_BINARY} when set. An explicit path here takes precedence over both.
     */
    public Builder etcdBinary(Path binary) {
      this.etcdBinary = Objects.requireNonNull(binary, "binary");
      return this;
    }

    /**
     * Flags appended to every member's command line, after the ones this class sets, e.g. {@code
     * "--log-level=info"}. Use the {@code --flag=value} form. A repeated flag overrides an earlier
     * one. Calls accumulate.
     */
    public Builder extraArgs(String... args) {
      for (String arg : args) {
        extraArgs.add(Objects.requireNonNull(arg, "extra argument"));
      }
      return this;
    }

    /**
     * How long {@link EtcdCluster#start()}, {@link EtcdMember#start()} and {@link
     * EtcdCluster#leader()} wait; default 30 s.
     */
    public Builder startTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("startTimeout must be positive, was " + timeout);
      }
      this.startTimeout = timeout;
      return this;
    }

    /**
     * Prefix of member names ({@code <name>-0}, {@code <name>-1}, ...) and of the temporary
     * directory; default {@code etcd}. Letters, digits, {@code . _ -}; at most 40 characters.
     */
    public Builder name(String name) {
      if (name == null || !NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("name must match " + NAME.pattern() + ", was " + name);
      }
      this.name = name;
      return this;
    }

    /** A new, not yet started cluster with this configuration. Starts nothing. */
    public EtcdCluster build() {
      return new EtcdCluster(this);
    }

    /** An independent builder with this configuration: later changes to either stay apart. */
    public Builder copy() {
      Builder copy = new Builder();
      copy.members = members;
      copy.etcdBinary = etcdBinary;
      copy.extraArgs.addAll(extraArgs);
      copy.startTimeout = startTimeout;
      copy.name = name;
      copy.clientTls = clientTls;
      copy.v2Api = v2Api;
      return copy;
    }

    @Override
    public String toString() {
      return "EtcdCluster.Builder["
          + name
          + ", "
          + members
          + " member(s), extraArgs="
          + Arrays.toString(extraArgs.toArray())
          + (clientTls == null ? "" : ", " + clientTls)
          + (v2Api ? "" : ", v2 API off")
          + "]";
    }
  }
}
