package dev.valkeyrie.etcdv2;

import dev.valkeyrie.store.ListenerRegistration;
import dev.valkeyrie.store.spi.Ticker;
import dev.valkeyrie.store.spi.ConnectionMonitor;
import dev.valkeyrie.store.ConnectionState;
import dev.valkeyrie.store.ConnectionStateListener;
import dev.valkeyrie.store.StoreClosedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the parts of one store share: the clients, one timer thread, and the registry of
 * everything that {@link #close()} must stop (watches, lock leases, keep-alives).
 *
 * <p>Work on the timer thread never blocks: it only starts asynchronous requests.
 */
final class StoreContext {

  /** Something that must end when the store closes. */
  public interface Resource {
    /**
     * Ends the resource; {@code cause} says why (the store closed). Must not block: work that
     * needs the network (releasing a lock) is started and returned as a future.
     */
    CompletableFuture<?> shutdown(Throwable cause);
  }

  /** While not connected, the cluster is probed this often. */
  private static final Duration PROBE_PERIOD = Duration.ofSeconds(1);

  private final ConnectionMonitor monitor;
  private final KeysClient client;
  private final KeysClient watchClient;
  private final MemberCheck memberCheck;
  private final Duration watchIdleTimeout;
  private final String user;
  private final StoreTimer timer;
  private final Set<Resource> resources = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final String description;

  /**
   * @param requests the transport for ordinary requests
   * @param longPolls the transport for watches' long polls: its own connection pool, so watches
   *     never starve requests
   * @param connectionLossTimeout how long the store may stay SUSPENDED before it is LOST
   */
  public StoreContext(
      Endpoints endpoints,
      StoreTimer timer,
      HttpTransport requests,
      HttpTransport longPolls,
      Duration requestTimeout,
      Duration watchIdleTimeout,
      Duration connectionLossTimeout,
      String user) {
    this.timer = timer;
    this.monitor = new ConnectionMonitor(connectionLossTimeout, PROBE_PERIOD, timer.executor(),
        Ticker.system());
    this.client =
        new KeysClient(endpoints, requests, timer.deadlines(), requestTimeout, user, monitor);
    this.watchClient =
        new KeysClient(endpoints, longPolls, timer.deadlines(), requestTimeout, user, monitor);
    this.memberCheck = new MemberCheck(endpoints, longPolls, timer.deadlines(), requestTimeout);
    this.watchIdleTimeout = watchIdleTimeout;
    this.user = user;
    this.description = endpoints.toString();
    // The probe is a quorum read of a hidden key: any answer but a 5xx means the cluster serves.
    KeysRequest probe = KeysRequest.get("probe", KeyPath.of("_valkeyrie/probe"),
        Query.of().flag("quorum"));
    monitor.probeWith(() -> client.send(probe));
  }

  /** Registers a connection state listener. */
  public ListenerRegistration addConnectionStateListener(ConnectionStateListener listener,
      Executor executor) {
    return monitor.addListener(listener, executor);
  }

  /** The current connection state, or {@code null} before the first request. */
  public ConnectionState connectionState() {
    return monitor.state();
  }

  public KeysClient client() {
    return client;
  }

  /** The client for long polls: its own connection pool, so watches never starve requests. */
  public KeysClient watchClient() {
    return watchClient;
  }

  /** Asks whether a member a watch waited on in silence still serves. */
  MemberCheck memberCheck() {
    return memberCheck;
  }

  public Duration watchIdleTimeout() {
    return watchIdleTimeout;
  }

  public ScheduledExecutorService timer() {
    return timer.executor();
  }

  /** The configured user name, or {@code null}. */
  public String user() {
    return user;
  }

  /** Keeps {@code endpoints} in step with the cluster's members, every {@code period}. */
  public void syncMembers(Endpoints endpoints, HttpTransport transport, Deadlines clock,
      Duration timeout, Duration period) {
    new MemberSync(endpoints, transport, clock, timeout).start(this, period);
  }

  /** @throws StoreClosedException if the store is closed */
  public void checkOpen() {
    if (closed.get()) {
      throw new StoreClosedException("the etcd v2 store " + description + " is closed");
    }
  }

  public boolean isClosed() {
    return closed.get();
  }

  /** Registers a resource; if the store closed meanwhile, shuts it down at once. */
  public void register(Resource resource) {
    resources.add(resource);
    if (closed.get() && resources.remove(resource)) {
      resource.shutdown(new StoreClosedException("the etcd v2 store " + description + " is closed"));
    }
  }

  public void unregister(Resource resource) {
    resources.remove(resource);
  }

  /**
   * Marks the store closed, shuts every resource down and waits (up to {@code cleanupTimeout}) for
   * their network clean-up, such as lock releases. The caller closes the transports and the timer
   * afterwards.
   */
  public void close(Duration cleanupTimeout) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    monitor.close();
    StoreClosedException cause =
        new StoreClosedException("the etcd v2 store " + description + " was closed");
    List<Resource> all = new ArrayList<>(resources);
    resources.clear();
    List<CompletableFuture<?>> cleanups = new ArrayList<>();
    for (Resource resource : all) {
      cleanups.add(resource.shutdown(cause));
    }
    try {
      CompletableFuture.allOf(cleanups.toArray(CompletableFuture[]::new))
          .get(cleanupTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      // Best effort: a lock not released here expires with its TTL.
    }
  }

  @Override
  public String toString() {
    return description;
  }
}
