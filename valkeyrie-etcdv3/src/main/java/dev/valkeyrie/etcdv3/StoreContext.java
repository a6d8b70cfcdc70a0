package dev.valkeyrie.etcdv3;

import com.google.protobuf.ByteString;
import dev.valkeyrie.etcdv3.rpc.AuthGrpc;
import dev.valkeyrie.etcdv3.rpc.KVGrpc;
import dev.valkeyrie.etcdv3.rpc.RangeRequest;
import dev.valkeyrie.store.ConnectionState;
import dev.valkeyrie.store.ConnectionStateListener;
import dev.valkeyrie.store.ListenerRegistration;
import dev.valkeyrie.store.StoreClosedException;
import dev.valkeyrie.store.spi.ConnectionMonitor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * What the parts of one store share: the configuration, the call layer, the leases, the time, the
 * connection monitor, and the registry of everything that {@link #close} must stop (watches, lock
 * sessions, keep-alives, the member sync).
 */
final class StoreContext {

  /** Something that must end when the store closes. */
  interface Resource {
    /**
     * Ends the resource; {@code cause} says why (the store closed). Must not block: work that needs
     * the network (releasing a lock) is started and returned as a future.
     */
    CompletableFuture<?> shutdown(Throwable cause);
  }

  /** While not connected, the cluster is probed this often. */
  static final Duration PROBE_PERIOD = Duration.ofSeconds(1);

  private final EtcdV3Config config;
  private final StoreTime time;
  private final Executor callbacks;
  private final ConnectionMonitor monitor;
  private final CallLayer calls;
  private final Leases leases;
  private final Set<Resource> resources = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();
  // Set once close() has cleaned up: from then on no request is sent (the channels go next).
  private final AtomicBoolean callsEnded = new AtomicBoolean();
  private final String description;

  StoreContext(
      Endpoints endpoints,
      Channels channels,
      EtcdV3Config config,
      StoreTime time,
      Executor callbacks) {
    this.config = config;
    this.time = time;
    this.callbacks = callbacks;
    this.description = endpoints.toString();
    this.monitor =
        new ConnectionMonitor(
            config.connectionLossTimeout(), PROBE_PERIOD, time.scheduler(), time.ticker());
    Auth auth = new Auth(config.username(), config.password());
    this.calls =
        new CallLayer(
            endpoints,
            channels,
            time,
            config.requestTimeout(),
            monitor,
            auth,
            callbacks,
            callsEnded::get,
            "the etcd v3 store " + description + " is closed");
    auth.authenticateWith(
        request ->
            calls.send(
                AuthGrpc.getAuthenticateMethod(), request, Op.idempotent("authenticate", "")));
    this.leases = new Leases(calls, time, callbacks);
    register(leases);
    // The probe is a linearizable read: it needs the quorum. Any answer, even a refusal
    // (no permission on the probe key), means the cluster serves.
    RangeRequest probe =
        RangeRequest.newBuilder()
            .setKey(ByteString.copyFromUtf8("valkeyrie-probe"))
            .setCountOnly(true)
            .build();
    monitor.probeWith(
        () ->
            calls
                .send(KVGrpc.getRangeMethod(), probe, Op.read("probe", ""))
                .exceptionally(failure -> null));
  }

  EtcdV3Config config() {
    return config;
  }

  CallLayer calls() {
    return calls;
  }

  Leases leases() {
    return leases;
  }

  StoreTime time() {
    return time;
  }

  /** The store's callback threads, for continuations that must not run on a timer or I/O one. */
  Executor callbacks() {
    return callbacks;
  }

  ConnectionMonitor monitor() {
    return monitor;
  }

  /** The configured user name, or {@code null}. */
  @Nullable String user() {
    return config.username();
  }

  ListenerRegistration addConnectionStateListener(
      ConnectionStateListener listener, Executor executor) {
    return monitor.addListener(listener, executor);
  }

  @Nullable ConnectionState connectionState() {
    return monitor.state();
  }

  /**
   * @throws StoreClosedException if the store is closed
   */
  void checkOpen() {
    if (closed.get()) {
      throw new StoreClosedException("the etcd v3 store " + description + " is closed");
    }
  }

  boolean isClosed() {
    return closed.get();
  }

  /** Registers a resource; if the store closed meanwhile, shuts it down at once. */
  void register(Resource resource) {
    resources.add(resource);
    if (closed.get() && resources.remove(resource)) {
      var unused =
          resource.shutdown(
              new StoreClosedException("the etcd v3 store " + description + " is closed"));
    }
  }

  void unregister(Resource resource) {
    resources.remove(resource);
  }

  /**
   * Marks the store closed, shuts every resource down and waits (up to {@code cleanupTimeout}) for
   * their network clean-up, such as lock releases. The caller closes channels and threads
   * afterwards.
   */
  void close(Duration cleanupTimeout) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    monitor.close();
    StoreClosedException cause =
        new StoreClosedException("the etcd v3 store " + description + " was closed");
    List<Resource> all = new ArrayList<>(resources);
    resources.clear();
    List<CompletableFuture<?>> cleanups = new ArrayList<>();
    for (Resource resource : all) {
      try {
        cleanups.add(resource.shutdown(cause));
      } catch (RuntimeException e) {
        // One resource failing to stop must not keep the others running.
      }
    }
    try {
      CompletableFuture.allOf(cleanups.toArray(CompletableFuture<?>[]::new))
          .get(cleanupTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // Best effort: a lock not released here expires with its TTL.
    }
    callsEnded.set(true);
  }

  @Override
  public String toString() {
    return description;
  }
}
