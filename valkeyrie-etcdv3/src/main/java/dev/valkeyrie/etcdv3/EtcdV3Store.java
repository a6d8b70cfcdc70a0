package dev.valkeyrie.etcdv3;

import dev.valkeyrie.etcdv3.migration.V3Writer;
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
import dev.valkeyrie.store.spi.ThreadPoolAsyncStore;
import dev.valkeyrie.store.spi.Ticker;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Store} on etcd's v3 API (gRPC), for etcd 3.4 and later.
 *
 * <p>Opening a store does not contact etcd; the first operation does. Reads are linearizable unless
 * {@link ReadOptions#consistent()} is false (then serializable: any member answers from its own
 * copy). Values are bytes: every byte sequence round-trips. etcd v3 has no directories: a directory
 * {@code d} is the key {@code d} plus the keys below {@code d/}, a key may have keys below it, and
 * a listing holds the keys that exist (see the README's v3 notes and {@code DESIGN.md}). TTLs are
 * whole seconds, at least 2 ({@link WriteOptions#ttl()}); a put without a TTL removes the key's
 * TTL.
 */
public final class EtcdV3Store implements Store {

  /** The backend's name for {@link dev.valkeyrie.store.Valkeyrie#newStore}. */
  public static final String NAME = "etcdv3";

  private final EtcdV3Config config;
  private final @Nullable StoreThreads threads;
  private final Channels channels;

  static {
    // The migration module's raw writes reach this store's internals through this hook only.
    V3Writer.install(store -> new RawKv(store.context));
  }

  private final StoreContext context;
  // Until the backend has a non-blocking path of its own: blocking calls on threads of their own.
  private final ThreadPoolAsyncStore async;
  private final KeyValueOperations keys;
  private final WatchService watches;
  private final LockService locks;

  /** The parts that other engineers plug in: built from the store's context. */
  record Parts(
      Function<StoreContext, WatchService> watches, Function<StoreContext, LockService> locks) {

    /** The store's parts: watches and locks, each built from the store's context. */
    static Parts standard() {
      return new Parts(Watches::new, Locks::new);
    }
  }

  private EtcdV3Store(
      Endpoints endpoints,
      EtcdV3Config config,
      @Nullable StoreThreads threads,
      StoreTime time,
      Parts parts) {
    this.config = config;
    this.async =
        new ThreadPoolAsyncStore(this, config.maxOutstandingRequests(), "valkeyrie-etcdv3-async");
    this.threads = threads;
    StoreThreads own = threads == null ? new StoreThreads() : threads;
    this.channels = new Channels(config, own);
    this.context = new StoreContext(endpoints, channels, config, time, own.callbacks());
    this.keys = new KeyValueOperations(context);
    this.watches = parts.watches().apply(context);
    this.locks = parts.locks().apply(context);
    if (!config.syncPeriod().isZero()) {
      new MemberSync(context.calls(), channels, time, config.usesTls())
          .start(context, config.syncPeriod());
    }
  }

  /**
   * Opens a store on {@code endpoints}: {@code host:port} (plain, or TLS when TLS is configured) or
   * full {@code http(s)://host:port} URLs.
   *
   * @param config {@code null} for {@link EtcdV3Config#defaults()}
   * @throws dev.valkeyrie.store.InvalidConfigurationException naming the unusable endpoint
   */
  public static EtcdV3Store open(List<String> endpoints, @Nullable EtcdV3Config config) {
    EtcdV3Config effective = config == null ? EtcdV3Config.defaults() : config;
    Endpoints parsed = Endpoints.parse(endpoints, effective.usesTls(), Ticker.system());
    StoreThreads threads = new StoreThreads();
    return new EtcdV3Store(
        parsed,
        effective,
        threads,
        new StoreTime(Ticker.system(), threads.timer()),
        Parts.standard());
  }

  /** For tests: a store on the given time and parts (its threads are still its own). */
  static EtcdV3Store open(
      List<String> endpoints,
      @Nullable EtcdV3Config config,
      @Nullable StoreTime time,
      Parts parts) {
    EtcdV3Config effective = config == null ? EtcdV3Config.defaults() : config;
    StoreThreads threads = new StoreThreads();
    StoreTime effectiveTime = time == null ? new StoreTime(Ticker.system(), threads.timer()) : time;
    return new EtcdV3Store(
        Endpoints.parse(endpoints, effective.usesTls(), effectiveTime.ticker()),
        effective,
        threads,
        effectiveTime,
        parts);
  }

  /**
   * {@inheritDoc}
   *
   * <p>A put without a TTL removes any TTL the key had (etcd detaches it from its lease). A TTL is
   * rounded up to whole seconds, and is at least 2 s (etcd's minimum). With {@code isDir} the key
   * is created with an empty value if it does not exist, and left as it is if it does; a TTL on a
   * directory is refused ({@link dev.valkeyrie.store.CallNotSupportedException}).
   */
  @Override
  public void put(String key, byte @Nullable [] value, @Nullable WriteOptions options) {
    context.checkOpen();
    keys.put(key, value, options);
  }

  @Override
  public KVPair get(String key, @Nullable ReadOptions options) {
    context.checkOpen();
    return keys.get(key, options);
  }

  @Override
  public void delete(String key) {
    context.checkOpen();
    keys.delete(key);
  }

  @Override
  public boolean exists(String key, @Nullable ReadOptions options) {
    context.checkOpen();
    return keys.exists(key, options);
  }

  @Override
  public Watch<KVPair> watch(String key, @Nullable ReadOptions options) {
    context.checkOpen();
    return watches.watch(Key.of(key), readOptions(options));
  }

  @Override
  public Watch<List<KVPair>> watchTree(String directory, @Nullable ReadOptions options) {
    context.checkOpen();
    return watches.watchTree(Key.directory(directory), readOptions(options));
  }

  @Override
  public Watch<KeyEvent> watchEvents(String key, @Nullable ReadOptions options) {
    context.checkOpen();
    return watches.watchEvents(Key.of(key), readOptions(options));
  }

  @Override
  public Watch<KeyEvent> watchTreeEvents(String directory, @Nullable ReadOptions options) {
    context.checkOpen();
    return watches.watchTreeEvents(Key.directory(directory), readOptions(options));
  }

  /**
   * {@inheritDoc}
   *
   * <p>etcd's own mutex recipe (clientv3 {@code concurrency.Mutex}) on the prefix {@code
   * <key>___lock/}, one lease per holding: it excludes {@code etcdctl lock '<key>___lock'} and Go
   * programs locking that name, and they exclude it. Waiters queue by create revision and each
   * watches only the one ahead of it. The fencing token is the holder's key's create revision.
   * While held, the lock's value is on the holder's key and under {@code key} itself, on the
   * holding's lease with {@link LockOptions#deleteOnUnlock()} (gone at unlock, or when the lease
   * ends), without a lease otherwise (kept after unlock). The TTL is the lease's: whole seconds, at
   * least 2. A user needs read and write permission on {@code key} and on the prefix {@code
   * <key>___lock/}.
   *
   * @throws dev.valkeyrie.store.InvalidValueException if the value is too large for a request
   */
  @Override
  public Locker newLock(String key, @Nullable LockOptions options) {
    context.checkOpen();
    return locks.newLock(Key.of(key), options == null ? LockOptions.DEFAULT : options);
  }

  @Override
  public List<KVPair> list(String directory, @Nullable ReadOptions options) {
    context.checkOpen();
    return keys.list(directory, options);
  }

  @Override
  public void deleteTree(String directory) {
    context.checkOpen();
    keys.deleteTree(directory);
  }

  @Override
  public KVPair atomicPut(
      String key,
      byte @Nullable [] value,
      @Nullable KVPair previous,
      @Nullable WriteOptions options) {
    context.checkOpen();
    return keys.atomicPut(key, value, previous, options);
  }

  @Override
  public long atomicDelete(String key, @Nullable KVPair previous) {
    context.checkOpen();
    return keys.atomicDelete(key, previous);
  }

  /**
   * {@inheritDoc}
   *
   * <p>SUSPENDED is entered when no member could serve a request (unreachable, timed out, no
   * leader); LOST after {@link EtcdV3Config#connectionLossTimeout()} in that state.
   */
  @Override
  public ListenerRegistration addConnectionStateListener(
      ConnectionStateListener listener, Executor executor) {
    context.checkOpen();
    return context.addConnectionStateListener(
        Objects.requireNonNull(listener, "listener"), Objects.requireNonNull(executor, "executor"));
  }

  @Override
  public @Nullable ConnectionState connectionState() {
    return context.connectionState();
  }

  /**
   * Stops every watch and keep-alive, releases held locks (waiting up to the request timeout for
   * etcd to confirm), then closes every channel and stream and waits until each of the store's
   * threads has ended. Idempotent. Keys kept alive expire with their TTL.
   */
  @Override
  public AsyncStore async() {
    return async;
  }

  @Override
  public void close() {
    if (context.isClosed()) {
      return;
    }
    context.close(config.requestTimeout());
    async.close();
    channels.close();
    if (threads != null) {
      threads.close();
    }
  }

  /** The prefix of the names of this store's threads (for tests). */
  @Nullable String threadPrefix() {
    return threads == null ? null : threads.threadPrefix();
  }

  /** The store's context (for tests and the parts). */
  StoreContext context() {
    return context;
  }

  /** The key/value part (for tests). */
  KeyValueOperations keyValues() {
    return keys;
  }

  private static ReadOptions readOptions(@Nullable ReadOptions options) {
    return options == null ? ReadOptions.DEFAULT : options;
  }

  @Override
  public String toString() {
    return "EtcdV3Store[" + context + (context.isClosed() ? ", closed" : "") + "]";
  }
}
