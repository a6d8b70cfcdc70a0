package dev.valkeyrie.migrate;

import dev.valkeyrie.etcdv2.EtcdV2Config;
import dev.valkeyrie.etcdv2.EtcdV2Store;
import dev.valkeyrie.etcdv2.migration.V2Reader;
import dev.valkeyrie.etcdv3.EtcdV3Config;
import dev.valkeyrie.etcdv3.EtcdV3Store;
import dev.valkeyrie.etcdv3.migration.V3Writer;
import dev.valkeyrie.store.InvalidConfigurationException;
import dev.valkeyrie.store.StoreClosedException;
import dev.valkeyrie.store.spi.Ticker;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * Moves a live etcd v2 tree into etcd's v3 key space, where the v3 backend ({@link EtcdV3Store})
 * reads every key back under the name and with the bytes the v2 backend ({@link EtcdV2Store}) reads
 * it with.
 *
 * <ul>
 *   <li>{@link #copy()}: one consistent snapshot of the tree at v2 index I, written to v3 in
 *       transactions of up to 128 operations, several in flight; TTL keys on leases with their
 *       remaining TTL; directories as keys with the empty value; lock side keys left out. Run again
 *       over a target it wrote, it writes only what differs and deletes what it wrote that v2 no
 *       longer has (a repair).
 *   <li>{@link #follow()}: every v2 change from I + 1 on, in index order, each in one transaction
 *       with the last applied index, until {@link #stop()}: a stopped or killed migration resumes
 *       where it was and applies nothing twice. A v2 removal deletes only the v3 keys a migration
 *       wrote (each one guarded by its revision), never keys written in v3 directly.
 *   <li>{@link #verify()}: compares both sides key by key and writes nothing.
 *   <li>{@link #dryRun()}: what a copy would write now, and writes nothing.
 * </ul>
 *
 * <p>It writes only in the target range (the prefix's key and the keys below it; without a prefix,
 * the whole key space) and in its bookkeeping range {@code _valkeyrie_migrate/<target>/} (see the
 * module's README), never deletes a key it did not write, and refuses to start over keys in the
 * target range it did not write unless {@linkplain Builder#merge(boolean) told to merge}. Hidden v2
 * keys (a segment starting with {@code _}) are not in v2's recursive reads and are not copied.
 *
 * <p>Calls run in the calling thread, one at a time; {@link #stop()} and {@link #close()} may be
 * called from any thread.
 */
public final class Migration implements AutoCloseable {
  private static final Duration SNAPSHOT_TIMEOUT = Duration.ofMinutes(2);

  private final @Nullable EtcdV2Store ownSource;
  private final @Nullable EtcdV3Store ownTarget;
  private final V2Reader reader;
  private final V3Writer writer;
  private final String prefix;
  private final boolean merge;
  private final ProgressListener listener;
  private final Ticker ticker;
  private final Bookkeeping books;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile @Nullable Follower follower;

  private Migration(Builder b, EtcdV2Store source, EtcdV3Store target) {
    this.ownSource = b.source == null ? source : null;
    this.ownTarget = b.target == null ? target : null;
    this.reader = V2Reader.of(source);
    this.writer = V3Writer.of(target);
    this.prefix = b.prefix;
    this.merge = b.merge;
    this.listener = b.listener;
    this.ticker = b.ticker;
    this.books = new Bookkeeping(prefix);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Copies the v2 tree to v3 (or repairs an earlier copy): reads v2 at one index and the target
   * range, writes what differs, records the index in the bookkeeping.
   *
   * <p>Failure semantics: before anything is written it may throw {@link TargetNotEmptyException}
   * (nothing written) or {@link MigrationConflictException} (another migration runs; nothing
   * written). Once writing, a failure (a {@link dev.valkeyrie.store.StoreException}; for a
   * transaction that may have reached etcd, a {@link dev.valkeyrie.store.StoreUnavailableException}
   * with an unknown outcome) leaves some batches written and the state marked {@code copying}:
   * calling {@code copy()} again finishes the copy from what v3 then holds. No write is ever
   * resent.
   */
  public CopyResult copy() {
    checkOpen();
    long start = ticker.read();
    Read read = read();
    Plan plan = Plan.of(read.source, read.target.entries, read.state, writer.maxRequestBytes());
    if (!merge && !plan.foreign.isEmpty()) {
      throw new TargetNotEmptyException(
          describeTarget(),
          plan.foreign.size(),
          plan.foreign.subList(0, Math.min(5, plan.foreign.size())));
    }
    Bookkeeping.State state = new Copier(writer, books, listener, ticker).run(plan, read.state);
    return new CopyResult(
        plan.summary(), state.stateRevision(), Duration.ofNanos(ticker.read() - start));
  }

  /**
   * Applies every v2 change after the last one recorded (the copy's index, or the last change
   * followed) until {@link #stop()} or {@link #close()}, then returns after the last applied
   * change. When etcd's 1,000-event history has moved past the next change, it copies again (a
   * repair at a new index) and goes on from there.
   *
   * <p>Failure semantics: each change is applied with the recorded index in one transaction, so
   * when this throws, every change up to the recorded index is applied and none after it, except
   * for the transaction that failed with an unknown outcome ({@link
   * dev.valkeyrie.store.StoreUnavailableException}), which is applied together with its index or
   * not at all: calling {@code follow()} again resumes exactly after what v3 records. A removal too
   * large for one transaction deletes its keys in several and records its index in the last: when
   * it fails in between, some keys are deleted and the removal is applied again on resume.
   *
   * <p>A removal deletes only the keys a migration wrote; keys v2 removed that were written in v3
   * directly stay, and are reported to {@link ProgressListener#onForeignKeyKept}.
   *
   * @throws IllegalStateException if no copy of this target has completed yet
   */
  public FollowResult follow() {
    checkOpen();
    Bookkeeping.State state = books.read(writer);
    if (!state.copied()) {
      throw new IllegalStateException(
          "no completed copy of " + describeTarget() + " in v3 yet: copy() before follow()");
    }
    Follower current = new Follower(reader, writer, books, prefix, listener, ticker);
    follower = current;
    if (closed.get()) {
      current.stop();
    }
    try {
      return current.run(
          state,
          () -> {
            copy();
            return books.read(writer);
          });
    } finally {
      follower = null;
    }
  }

  /** Whether a copy of this target has completed, so that {@link #follow()} can resume. */
  public boolean hasCompletedCopy() {
    checkOpen();
    return books.read(writer).copied();
  }

  /** Ends a running {@link #follow()} after the change it is applying, if any. */
  public void stop() {
    Follower current = follower;
    if (current != null) {
      current.stop();
    }
  }

  /** Compares v2's tree with v3's target range key by key. Writes nothing. */
  public Verification verify() {
    checkOpen();
    Read read = read();
    return Verifier.compare(read.source, read.target);
  }

  /** What {@link #copy()} would write now. Writes nothing. */
  public MigrationPlan dryRun() {
    checkOpen();
    Read read = read();
    return Plan.of(read.source, read.target.entries, read.state, writer.maxRequestBytes())
        .summary();
  }

  /**
   * The target range, for messages: {@code 'app' and the keys below it}, or the whole key space.
   */
  public String describeTarget() {
    return prefix.isEmpty() ? "key space" : "range '" + prefix + "' (and the keys below it)";
  }

  /** The v3 key this migration keeps its state in. */
  public String stateKey() {
    return books.stateKey();
  }

  /**
   * Stops a running follow, and closes the stores this migration opened itself (not those given to
   * the builder). Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    stop();
    if (ownSource != null) {
      ownSource.close();
    }
    if (ownTarget != null) {
      ownTarget.close();
    }
  }

  private record Read(SourceTree source, TargetView target, Bookkeeping.State state) {}

  private Read read() {
    long start = ticker.read();
    listener.onProgress(new Progress(Progress.Phase.READING, 0, 0, Duration.ZERO, 0));
    Bookkeeping.State state = books.read(writer);
    SourceTree source = SourceTree.of(reader.snapshot(prefix, SNAPSHOT_TIMEOUT), prefix, writer);
    TargetView target = TargetView.read(writer, prefix);
    listener.onProgress(
        new Progress(
            Progress.Phase.READING,
            source.entries.size(),
            source.entries.size(),
            Duration.ofNanos(ticker.read() - start),
            source.index));
    return new Read(source, target, state);
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new StoreClosedException("the migration of " + describeTarget() + " is closed");
    }
  }

  /** Builds a {@link Migration}: a v2 source and a v3 target, each a store or endpoints. */
  public static final class Builder {
    private @Nullable EtcdV2Store source;
    private @Nullable EtcdV3Store target;
    private @Nullable List<String> sourceEndpoints;
    private @Nullable EtcdV2Config sourceConfig;
    private @Nullable List<String> targetEndpoints;
    private @Nullable EtcdV3Config targetConfig;
    private String prefix = "";
    private boolean merge;
    private ProgressListener listener = ProgressListener.NONE;
    private Ticker ticker = Ticker.system();

    private Builder() {}

    /** The v2 store to read; the migration does not close it. */
    public Builder source(EtcdV2Store store) {
      this.source = Objects.requireNonNull(store, "source");
      return this;
    }

    /**
     * The v2 members to read, opened (and closed) by the migration; {@code null} config: defaults.
     */
    public Builder source(List<String> endpoints, @Nullable EtcdV2Config config) {
      this.sourceEndpoints = List.copyOf(endpoints);
      this.sourceConfig = config;
      return this;
    }

    /** The v3 store to write; the migration does not close it. */
    public Builder target(EtcdV3Store store) {
      this.target = Objects.requireNonNull(store, "target");
      return this;
    }

    /**
     * The v3 members to write, opened (and closed) by the migration; {@code null} config: defaults.
     */
    public Builder target(List<String> endpoints, @Nullable EtcdV3Config config) {
      this.targetEndpoints = List.copyOf(endpoints);
      this.targetConfig = config;
      return this;
    }

    /**
     * The v2 directory to move, with everything below it; the same name in v3. {@code ""} or {@code
     * "/"} (the default): the whole tree.
     */
    public Builder prefix(String directory) {
      String p = Objects.requireNonNull(directory, "prefix");
      while (p.startsWith("/")) {
        p = p.substring(1);
      }
      while (p.endsWith("/")) {
        p = p.substring(0, p.length() - 1);
      }
      this.prefix = p;
      return this;
    }

    /**
     * Whether a copy may start over keys in the target range that it did not write: it then
     * overwrites those v2 also has, and leaves the others. Off by default.
     */
    public Builder merge(boolean merge) {
      this.merge = merge;
      return this;
    }

    /** Hears each step, in the migrating thread. */
    public Builder progress(ProgressListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** The clock elapsed times are read on (tests pass their own). */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /**
     * Opens what was given as endpoints, and checks the prefix.
     *
     * @throws InvalidConfigurationException if a source or target is missing, or an endpoint is
     *     unusable
     * @throws dev.valkeyrie.store.InvalidKeyException if the prefix is not a valid key
     */
    public Migration build() {
      List<String> v2Endpoints = sourceEndpoints;
      List<String> v3Endpoints = targetEndpoints;
      if (source == null && v2Endpoints == null) {
        throw new InvalidConfigurationException("a migration needs a v2 source");
      }
      if (target == null && v3Endpoints == null) {
        throw new InvalidConfigurationException("a migration needs a v3 target");
      }
      EtcdV2Store v2 =
          source != null
              ? source
              : EtcdV2Store.open(
                  Objects.requireNonNull(v2Endpoints),
                  sourceConfig == null ? EtcdV2Config.defaults() : sourceConfig);
      EtcdV3Store v3;
      try {
        v3 =
            target != null
                ? target
                : EtcdV3Store.open(Objects.requireNonNull(v3Endpoints), targetConfig);
      } catch (RuntimeException e) {
        if (source == null) {
          v2.close();
        }
        throw e;
      }
      try {
        if (!prefix.isEmpty()) {
          V3Writer.of(v3).checkKey(prefix);
        }
        return new Migration(this, v2, v3);
      } catch (RuntimeException e) {
        if (source == null) {
          v2.close();
        }
        if (target == null) {
          v3.close();
        }
        throw e;
      }
    }
  }
}
