package dev.valkeyrie.testing.etcd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A cluster of real etcd processes on {@code 127.0.0.1}, with the v2 API enabled, for tests and
 * examples.
 *
 * <pre>{@code
 * try (EtcdCluster etcd = EtcdCluster.builder().members(3).build().start()) {
 *   String endpoint = etcd.clientEndpoints().get(0);
 *   ...
 * }
 * }</pre>
 *
 * <p>Each member gets free client and peer ports and a directory under a fresh temporary
 * directory ({@code valkeyrie-etcd-<name>-*}) holding its data directory and its log file
 * ({@code etcd.log}, stdout and stderr of every run). {@link #close()} stops every process and
 * deletes that directory; a JVM shutdown hook does the same for clusters that were never closed.
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
  // A port can be taken by someone else between PortAllocator and etcd's bind.
  private static final int START_ATTEMPTS = 3;
  private static final String PORT_TAKEN = "address already in use";
  // SIGTERM grace for EtcdMember.stop(): a leader whose followers are down spends etcd's request
  // timeout (5 s + 2 election timeouts = 7 s by default) trying to hand over leadership.
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
  // SIGTERM grace in close(): etcd normally exits within milliseconds, and the data is deleted
  // right after, so there is no point waiting out a leadership transfer to members already gone.
  private static final Duration CLOSE_GRACE = Duration.ofSeconds(1);
  // Only to order the shutdown; a slow answer just means stopping all members at once.
  private static final Duration LEADER_QUERY_TIMEOUT = Duration.ofMillis(500);

  private final String name;
  private final int size;
  private final EtcdBinary binary;
  private final List<String> extraArgs;
  private final Duration startTimeout;
  private final ClientTls clientTls;
  private final Runnable shutdownAction = this::killForShutdown;
  // How the launcher talks to members: TLS as configured, root credentials once EtcdAuth ran.
  private volatile LoopbackHttp http;

  // Volatile: read without the lock by leader() and the shutdown hook.
  private volatile Path root;
  private volatile List<EtcdMember> members = List.of();
  // The settings of the successful start, for members added later.
  private volatile LaunchSettings settings;
  private volatile boolean started;
  private volatile boolean closed;

  private EtcdCluster(Builder builder) {
    this.name = builder.name;
    this.size = builder.members;
    this.binary = EtcdBinary.resolve(builder.etcdBinary, System.getenv());
    this.extraArgs = List.copyOf(builder.extraArgs);
    this.startTimeout = builder.startTimeout;
    this.clientTls = builder.clientTls;
    this.http =
        clientTls == null ? LoopbackHttp.PLAIN : LoopbackHttp.PLAIN.withTls(clientTls.probeContext());
  }

  /** A builder with defaults: one member, {@code /usr/bin/etcd}, 30 s start timeout. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts all members and waits until every member's {@code GET /health} reports healthy and a
   * v2 write (a hidden probe key, deleted again) succeeds. Retries with new ports if a port turned
   * out to be taken. Calling it again on a started cluster does nothing.
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
      throw new IllegalStateException("cluster " + name + " is closed");
    }
    if (started) {
      return this;
    }
    binary.requireInstalled();
    try {
      root = Files.createTempDirectory("valkeyrie-etcd-" + name + "-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory for etcd", e);
    }
    ShutdownCleanup.register(shutdownAction);
    try {
      for (int attempt = 1; ; attempt++) {
        members = createMembers();
        Optional<String> failure = launchAndAwait(members);
        if (failure.isEmpty()) {
          started = true;
          return this;
        }
        boolean portTaken =
            members.stream().anyMatch(m -> LogTail.contains(m.process().logFile(), PORT_TAKEN));
        stopAll(members);
        members.forEach(m -> Directories.deleteRecursively(m.dataDirectory().getParent()));
        if (!portTaken || attempt == START_ATTEMPTS) {
          String note = portTaken ? " (ports were taken on all " + attempt + " attempts)" : "";
          throw new EtcdStartException(failure.get() + note);
        }
      }
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
   * @throws IllegalStateException if the cluster is not started or no live leader emerges in time
   */
  public EtcdMember leader() {
    List<EtcdMember> current = requireStarted();
    EtcdMember[] found = new EtcdMember[1];
    Instant deadline = Instant.now().plus(startTimeout);
    Poll.until(
        deadline,
        () -> {
          for (EtcdMember asked : current) {
            if (!asked.isAnswering()) {
              continue;
            }
            Optional<EtcdMember> leader =
                EtcdProbe.leaderName(http, asked.clientEndpoint(), EtcdProbe.REQUEST_TIMEOUT)
                    .flatMap(n -> current.stream().filter(m -> m.name().equals(n)).findFirst())
                    .filter(EtcdMember::isAnswering);
            if (leader.isPresent()) {
              found[0] = leader.get();
              return true;
            }
          }
          return false;
        });
    if (found[0] == null) {
      throw new IllegalStateException(
          "no running member of " + name + " reported a live leader within "
              + startTimeout.toSeconds() + "s");
    }
    return found[0];
  }

  /**
   * Adds a member to the running cluster: announces its peer URL ({@code POST /v2/members}),
   * starts it with {@code --initial-cluster} listing every member and {@code
   * --initial-cluster-state existing}, and waits until it is healthy, serves quorum reads, and
   * every running member lists its client URL (so a client syncing its member list finds it). It
   * is named {@code <name>-<n>}, gets free ports, and then behaves like any other member ({@link
   * #members()}, {@link #clientEndpoints()}, stop and restart).
   *
   * <p>etcd refuses additions until the leader has been connected to every member for 5 seconds
   * (its strict reconfiguration check); this waits that out, within the start timeout. Adding a
   * member raises the quorum: with 1 member, the cluster has no quorum until the new one runs.
   *
   * @return the new, running member
   * @throws EtcdStartException if etcd does not accept the member or it does not become ready;
   *     the addition is undone (best effort) and its process stopped
   * @throws IllegalStateException if the cluster is not started or closed, or no member runs
   */
  public synchronized EtcdMember addMember() {
    if (closed) {
      throw new IllegalStateException("cluster " + name + " is closed");
    }
    requireStarted();
    for (int attempt = 1; ; attempt++) {
      Instant deadline = Instant.now().plus(startTimeout);
      List<EtcdMember> current = members;
      String memberName = name + "-" + current.size();
      MemberSpec spec = new MemberSpec(memberName, PortAllocator.freePort(),
          PortAllocator.freePort(), root.resolve(memberName), clientTls != null);
      List<String> askUrls = current.stream()
          .filter(EtcdMember::isAnswering).map(EtcdMember::clientEndpoint).toList();
      if (askUrls.isEmpty()) {
        throw new IllegalStateException(
            "no member of " + name + " is running: a member can only join a running cluster");
      }
      String id = MemberChanges.add(http, askUrls, spec.peerUrl(), deadline);
      String initialCluster = current.stream()
          .map(m -> m.spec().initialClusterEntry())
          .collect(Collectors.joining(",", "", "," + spec.initialClusterEntry()));
      EtcdMember member =
          new EtcdMember(spec, settings.withInitialCluster(initialCluster), this, true);
      List<EtcdMember> grown = new ArrayList<>(current);
      grown.add(member);
      members = List.copyOf(grown); // before launching, so close() and the hook see it
      String failure;
      try {
        EtcdProcess p = member.launch();
        boolean ready = Poll.until(deadline, () -> !p.isAlive() || member.isReady(deadline))
            && p.isAlive()
            && Poll.until(deadline, () -> askUrls.stream().allMatch(
                url -> MemberChanges.published(http, url, spec.clientUrl())));
        if (ready) {
          return member;
        }
        failure = p.describe("added etcd member " + memberName + " did not become ready within "
            + startTimeout.toSeconds() + "s");
      } catch (EtcdStartException e) {
        failure = e.getMessage();
      }
      boolean portTaken = member.process() != null
          && LogTail.contains(member.process().logFile(), PORT_TAKEN);
      member.killForShutdown();
      MemberChanges.remove(http, askUrls, id, Instant.now().plus(startTimeout));
      members = current;
      Directories.deleteRecursively(spec.directory());
      if (!portTaken || attempt == START_ATTEMPTS) {
        throw new EtcdStartException(failure);
      }
    }
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
      stopAll(members);
    } finally {
      Directories.deleteRecursively(root);
      ShutdownCleanup.unregister(shutdownAction);
    }
  }

  @Override
  public String toString() {
    String state = closed ? "closed" : started ? "started" : "not started";
    return "EtcdCluster[" + name + ", " + size + " member(s), " + state + "]";
  }

  boolean isClosed() {
    return closed;
  }

  /** How the launcher talks to members now. */
  LoopbackHttp http() {
    return http;
  }

  /**
   * From now on the launcher's own requests carry these credentials (set by {@link EtcdAuth}
   * once v2 auth is on: the readiness probe reads a key, which then needs them).
   */
  void useCredentials(String user, String password) {
    http = http.withBasicAuth(user, password);
  }

  private List<EtcdMember> requireStarted() {
    if (!started) {
      throw new IllegalStateException("cluster " + name + " is not started; call start()");
    }
    return members;
  }

  private List<EtcdMember> createMembers() {
    List<MemberSpec> specs = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      String memberName = name + "-" + i;
      specs.add(
          new MemberSpec(
              memberName,
              PortAllocator.freePort(),
              PortAllocator.freePort(),
              root.resolve(memberName),
              clientTls != null));
    }
    String initialCluster =
        specs.stream().map(MemberSpec::initialClusterEntry).collect(Collectors.joining(","));
    // Unique per attempt, so members of different clusters can never join each other.
    LaunchSettings launch =
        new LaunchSettings(
            binary,
            initialCluster,
            name + "-" + UUID.randomUUID(),
            extraArgs,
            clientTls,
            startTimeout,
            STOP_TIMEOUT);
    settings = launch;
    return specs.stream().map(s -> new EtcdMember(s, launch, this, false)).toList();
  }

  /** Launches all members, then polls them; an empty result means ready. */
  private Optional<String> launchAndAwait(List<EtcdMember> all) {
    Instant deadline = Instant.now().plus(startTimeout);
    all.forEach(EtcdMember::launch);
    Set<EtcdMember> pending = new LinkedHashSet<>(all);
    EtcdMember[] exited = new EtcdMember[1];
    boolean healthy =
        Poll.until(
            deadline,
            () -> {
              // Fail fast on an exited member: a taken port or a bad flag shows up here.
              for (EtcdMember m : all) {
                if (!m.process().isAlive()) {
                  exited[0] = m;
                  return true;
                }
              }
              pending.removeIf(m -> m.isReady(deadline));
              return pending.isEmpty();
            });
    if (exited[0] != null) {
      return Optional.of(
          exited[0].process().describe("etcd member " + exited[0].name() + " exited during start"));
    }
    if (!healthy) {
      return Optional.of(
          "etcd cluster " + name + " was not healthy within " + startTimeout.toSeconds() + "s: "
              + describeAll(pending));
    }
    EtcdMember writer = all.get(0);
    boolean writable =
        Poll.until(
            deadline,
            () ->
                EtcdProbe.v2WriteWorks(
                    http,
                    writer.clientEndpoint(),
                    "started",
                    Poll.remaining(deadline, EtcdProbe.REQUEST_TIMEOUT)));
    if (!writable) {
      return Optional.of(
          "etcd cluster " + name + " is healthy but a v2 write through " + writer.name()
              + " failed within " + startTimeout.toSeconds() + "s (is --enable-v2 overridden?): "
              + describeAll(List.of(writer)));
    }
    return Optional.empty();
  }

  private static String describeAll(Iterable<EtcdMember> list) {
    StringBuilder out = new StringBuilder();
    for (EtcdMember m : list) {
      out.append(System.lineSeparator())
          .append(m.process().describe("member " + m.name() + " not ready"));
    }
    return out.toString();
  }

  /**
   * Stops the followers (in parallel), then the leader. Were the leader stopped together with its
   * followers, etcd 3.4 would try to hand leadership to a follower that is going away; stopped
   * last it usually sees no peer left and exits at once (though not always, hence the short
   * grace).
   */
  private void stopAll(List<EtcdMember> list) {
    Optional<String> leaderName =
        list.stream()
            .filter(EtcdMember::isAnswering)
            .findFirst()
            .flatMap(m -> EtcdProbe.leaderName(http, m.clientEndpoint(), LEADER_QUERY_TIMEOUT));
    List<EtcdMember> followers = new ArrayList<>();
    List<EtcdMember> leaders = new ArrayList<>();
    for (EtcdMember m : list) {
      (leaderName.filter(m.name()::equals).isPresent() ? leaders : followers).add(m);
    }
    terminateAndAwait(followers);
    terminateAndAwait(leaders);
  }

  /** SIGTERM to all first, then wait: members stop in parallel instead of one after another. */
  private static void terminateAndAwait(List<EtcdMember> list) {
    for (EtcdMember m : list) {
      EtcdProcess p = m.process();
      if (p != null) {
        p.requestTerminate();
      }
    }
    Instant deadline = Instant.now().plus(CLOSE_GRACE);
    for (EtcdMember m : list) {
      EtcdProcess p = m.process();
      if (p != null && !p.awaitExit(Poll.remaining(deadline, CLOSE_GRACE))) {
        p.killAndWait();
      }
    }
  }

  /** Runs in the shutdown hook: no locks, SIGKILL (the data is deleted anyway). */
  private void killForShutdown() {
    for (EtcdMember m : members) {
      try {
        m.killForShutdown();
      } catch (RuntimeException e) {
        // Keep going: delete what can be deleted.
      }
    }
    Directories.deleteRecursively(root);
  }

  /**
   * Configures an {@link EtcdCluster}. Not thread-safe; {@link #build()} takes a snapshot, so a
   * builder can be reused.
   */
  public static final class Builder {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,39}");

    private int members = 1;
    private Path etcdBinary;
    private final List<String> extraArgs = new ArrayList<>();
    private Duration startTimeout = Duration.ofSeconds(30);
    private String name = "etcd";
    private ClientTls clientTls;

    private Builder() {}

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
        throw new IllegalArgumentException(
            "name must match " + NAME.pattern() + ", was " + name);
      }
      this.name = name;
      return this;
    }

    /** A new, not yet started cluster with this configuration. Starts nothing. */
    public EtcdCluster build() {
      return new EtcdCluster(this);
    }

    Builder copy() {
      Builder copy = new Builder();
      copy.members = members;
      copy.etcdBinary = etcdBinary;
      copy.extraArgs.addAll(extraArgs);
      copy.startTimeout = startTimeout;
      copy.name = name;
      copy.clientTls = clientTls;
      return copy;
    }

    @Override
    public String toString() {
      return "EtcdCluster.Builder[" + name + ", " + members + " member(s), extraArgs="
          + Arrays.toString(extraArgs.toArray()) + (clientTls == null ? "" : ", " + clientTls)
          + "]";
    }
  }
}
