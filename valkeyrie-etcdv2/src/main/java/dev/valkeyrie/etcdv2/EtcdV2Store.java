package dev.valkeyrie.etcdv2;

import dev.valkeyrie.etcdv2.migration.V2Reader;
import dev.valkeyrie.store.AsyncStore;
import dev.valkeyrie.store.ConnectionState;
import dev.valkeyrie.store.ConnectionStateListener;
import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.KeyEvent;
import dev.valkeyrie.store.ListenerRegistration;
import dev.valkeyrie.store.LockOptions;
import dev.valkeyrie.store.Locker;
import dev.valkeyrie.store.ReadOptions;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.store.Watch;
import dev.valkeyrie.store.WriteOptions;
import dev.valkeyrie.store.spi.ConnectionMonitor;
import dev.valkeyrie.store.spi.ThreadPoolAsyncStore;
import dev.valkeyrie.store.spi.Ticker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Store} on etcd's v2 HTTP keys API (etcd 2.x, and 3.x started with {@code
 * --enable-v2=true}).
 *
 * <p>Opening a store does not contact etcd; the first operation does. Reads are quorum reads unless
 * {@link ReadOptions#consistent()} is false. Values must be valid UTF-8 (etcd v2 stores text);
 * other bytes are refused with {@link dev.valkeyrie.store.InvalidValueException} rather than
 * silently altered.
 */
public final class EtcdV2Store implements Store {

  /** The backend's name for {@link dev.valkeyrie.store.Valkeyrie#newStore}. */
  public static final String NAME = "etcdv2";

  static {
    // The migration module's raw reads reach this store's clients through this hook only.
    V2Reader.install(store -> new RawReads(store.context));
  }

  /** While not connected, the cluster is probed this often. */
  private static final Duration PROBE_PERIOD = Duration.ofSeconds(1);

  private final StoreTimer timer;
  private final HttpTransport requests;
  private final HttpTransport longPolls;
  private final ConnectionMonitor monitor;
  private final Resources resources;
  private final KeyValueOperations keys;
  private final Watches watches;
  private final StoreContext context;
  // Until the backend has a non-blocking path of its own: blocking calls on threads of their own.
  private final ThreadPoolAsyncStore async;
  private final EtcdV2Config config;
  private final String description;

  private EtcdV2Store(Endpoints endpoints, EtcdV2Config config, StoreTimer timer) {
    this.config = config;
    this.async =
        new ThreadPoolAsyncStore(this, config.maxOutstandingRequests(), "valkeyrie-etcdv2-async");
    this.timer = timer;
    this.description = endpoints.toString();
    String authorization = authorization(config);
    // Blocking calls run their exchanges in the calling thread (no hand-off); asynchronous ones
    // (renewals, keep-alives, watch re-reads) use the non-blocking client. 64 connections per
    // endpoint in each pool. Long polls get two I/O threads: when one change wakes many watches,
    // both cores decode answers and send the next polls (1,000 watches: p99 delivery 27-37 ms in
    // most runs with two, 74-156 ms with one).
    this.requests =
        new ApacheHttpTransport(
            new ApacheHttpTransport.Settings(
                "valkeyrie-etcdv2-io",
                1,
                64,
                config.connectionTimeout(),
                config.tls(),
                authorization,
                true),
            timer.deadlines());
    this.longPolls =
        new ApacheHttpTransport(
            new ApacheHttpTransport.Settings(
                "valkeyrie-etcdv2-watch-io",
                2,
                100_000,
                config.connectionTimeout(),
                config.tls(),
                authorization,
                false),
            timer.deadlines());
    this.monitor =
        new ConnectionMonitor(
            config.connectionLossTimeout(), PROBE_PERIOD, timer.executor(), timer.ticker());
    KeysClient client =
        new KeysClient(
            endpoints,
            requests,
            timer.deadlines(),
            config.requestTimeout(),
            config.username(),
            monitor);
    KeysClient watchClient =
        new KeysClient(
            endpoints,
            longPolls,
            timer.deadlines(),
            config.requestTimeout(),
            config.username(),
            monitor);
    // The probe is a quorum read of a hidden key: any answer but a 5xx means the cluster serves.
    KeysRequest probe =
        KeysRequest.get("probe", KeyPath.of("_valkeyrie/probe"), Query.of().flag("quorum"));
    monitor.probeWith(() -> client.send(probe));
    this.resources = new Resources("the etcd v2 store " + description);
    this.context =
        new StoreContext(
            client,
            watchClient,
            new MemberCheck(endpoints, longPolls, timer.deadlines(), config.requestTimeout()),
            timer.executor(),
            timer.ticker(),
            resources,
            config.watchIdleTimeout(),
            config.username());
    this.keys = new KeyValueOperations(context);
    this.watches = new Watches(context);
    if (!config.syncPeriod().isZero()) {
      new MemberSync(endpoints, requests, timer.deadlines(), config.requestTimeout())
          .start(context, config.syncPeriod());
    }
  }

  /**
   * Opens a store on {@code endpoints}: {@code host:port} (http, or https when TLS is configured)
   * or full {@code http(s)://host:port} URLs.
   *
   * @param config {@code null} for {@link EtcdV2Config#defaults()}
   * @throws dev.valkeyrie.store.InvalidConfigurationException naming the unusable endpoint
   */
  public static EtcdV2Store open(List<String> endpoints, @Nullable EtcdV2Config config) {
    EtcdV2Config effective = config == null ? EtcdV2Config.defaults() : config;
    Endpoints parsed = Endpoints.parse(endpoints, effective.tls() != null, Ticker.system());
    return new EtcdV2Store(parsed, effective, StoreTimer.ownThread("valkeyrie-etcdv2-timer"));
  }

  /**
   * {@link #open(List, EtcdV2Config)} on a scheduler and clock from outside, which {@link #close()}
   * leaves running: tests move time by hand with them.
   */
  static EtcdV2Store open(
      List<String> endpoints,
      @Nullable EtcdV2Config config,
      ScheduledExecutorService scheduler,
      Ticker ticker) {
    EtcdV2Config effective = config == null ? EtcdV2Config.defaults() : config;
    Endpoints parsed = Endpoints.parse(endpoints, effective.tls() != null, ticker);
    return new EtcdV2Store(parsed, effective, StoreTimer.injected(scheduler, ticker));
  }

  @Override
  public void put(String key, byte @Nullable [] value, @Nullable WriteOptions options) {
    resources.checkOpen();
    keys.put(key, value, options);
  }

  @Override
  public KVPair get(String key, @Nullable ReadOptions options) {
    resources.checkOpen();
    return keys.get(key, options);
  }

  @Override
  public void delete(String key) {
    resources.checkOpen();
    keys.delete(key);
  }

  @Override
  public boolean exists(String key, @Nullable ReadOptions options) {
    resources.checkOpen();
    return keys.exists(key, options);
  }

  @Override
  public Watch<KVPair> watch(String key, @Nullable ReadOptions options) {
    resources.checkOpen();
    return watches.watch(key, options);
  }

  @Override
  public Watch<List<KVPair>> watchTree(String directory, @Nullable ReadOptions options) {
    resources.checkOpen();
    return watches.watchTree(directory, options);
  }

  @Override
  public Watch<KeyEvent> watchEvents(String key, @Nullable ReadOptions options) {
    resources.checkOpen();
    return watches.watchEvents(key, options);
  }

  @Override
  public Watch<KeyEvent> watchTreeEvents(String directory, @Nullable ReadOptions options) {
    resources.checkOpen();
    return watches.watchTreeEvents(directory, options);
  }

  @Override
  public Locker newLock(String key, @Nullable LockOptions options) {
    resources.checkOpen();
    return new EtcdLocker(
        context, KeyPath.of(key), options == null ? LockOptions.DEFAULT : options);
  }

  @Override
  public List<KVPair> list(String directory, @Nullable ReadOptions options) {
    resources.checkOpen();
    return keys.list(directory, options);
  }

  @Override
  public void deleteTree(String directory) {
    resources.checkOpen();
    keys.deleteTree(directory);
  }

  @Override
  public KVPair atomicPut(
      String key,
      byte @Nullable [] value,
      @Nullable KVPair previous,
      @Nullable WriteOptions options) {
    resources.checkOpen();
    return keys.atomicPut(key, value, previous, options);
  }

  @Override
  public long atomicDelete(String key, @Nullable KVPair previous) {
    resources.checkOpen();
    return keys.atomicDelete(key, previous);
  }

  /**
   * {@inheritDoc}
   *
   * <p>SUSPENDED is entered when no member could serve a request (unreachable, timed out, or
   * answering with a server error such as lost quorum); LOST after {@link
   * EtcdV2Config#connectionLossTimeout()} in that state.
   */
  @Override
  public ListenerRegistration addConnectionStateListener(
      ConnectionStateListener listener, Executor executor) {
    resources.checkOpen();
    return monitor.addListener(
        Objects.requireNonNull(listener, "listener"), Objects.requireNonNull(executor, "executor"));
  }

  @Override
  public @Nullable ConnectionState connectionState() {
    return monitor.state();
  }

  /**
   * Stops every watch and keep-alive, releases held locks (waiting up to the request timeout for
   * etcd to confirm), then closes every connection and thread. Idempotent.
   */
  @Override
  public AsyncStore async() {
    return async;
  }

  @Override
  public void close() {
    monitor.close();
    if (!resources.close(config.requestTimeout())) {
      return;
    }
    async.close();
    longPolls.close();
    requests.close();
    timer.close();
  }

  @Override
  public String toString() {
    return "EtcdV2Store[" + description + (resources.isClosed() ? ", closed" : "") + "]";
  }

  private static @Nullable String authorization(EtcdV2Config config) {
    if (config.username() == null) {
      return null;
    }
    String password = config.hasPassword() ? config.password() : "";
    String credentials = config.username() + ":" + password;
    return "Basic "
        + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
  }
}
