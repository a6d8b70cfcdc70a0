package dev.valkeyrie.store;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A distributed key/value store: the one API every backend implements.
 *
 * <p>Keys are {@code /}-separated paths. A leading {@code /} is ignored, so {@code "/a/b"} and
 * {@code "a/b"} name the same key, and keys are always returned without it. Values are bytes.
 *
 * <p>Every method may throw {@link StoreUnavailableException} when no endpoint answers within the
 * configured timeouts, {@link AccessDeniedException} when the store refuses the credentials or the
 * key range, and {@link StoreClosedException} once {@link #close()} has been called. Exceptions are
 * unchecked and all extend {@link StoreException}.
 *
 * <h2>Arguments</h2>
 *
 * <p>One rule for every method: a key, directory or value the backend cannot store faithfully
 * (null, blank, badly formed, too large) is refused with {@link InvalidKeyException} or {@link
 * InvalidValueException}, before anything is sent, and the message names the key. Any other
 * argument that is {@code null} where {@code null} is not allowed (a listener, an executor) is
 * refused with a {@link NullPointerException} naming it. Options arguments may always be {@code
 * null}, meaning the defaults.
 *
 * <h2>What a failed write may already have done</h2>
 *
 * <p>Every mutating call ({@link #put}, {@link #delete}, {@link #deleteTree}, {@link #atomicPut},
 * {@link #atomicDelete}) either returns, having been applied exactly once, or throws. What a throw
 * means:
 *
 * <ul>
 *   <li>{@link StoreUnavailableException} with {@link StoreUnavailableException#outcomeUnknown()}
 *       {@code true}: the request may have reached a server, and the server may have applied it, or
 *       may still apply it later. The store never sends such a request a second time. Read the key
 *       before doing anything that is not idempotent, and never assume either outcome.
 *   <li>{@link StoreUnavailableException} with {@code outcomeUnknown()} {@code false}: nothing that
 *       a server could apply reached one (the connection was refused, the TLS handshake failed, no
 *       member took the request in time). The write was not applied.
 *   <li>Any other {@link StoreException} (a failed condition, a missing key, a wrong type, refused
 *       access, invalid input, a closed store): the write was not applied.
 * </ul>
 *
 * <p>Reads have no effect; a failed read may simply be tried again.
 *
 * <p>Every call returns or throws within the backend's request timeout (plus a few milliseconds),
 * whatever the servers do, except the calls that wait by design ({@link Locker#lock()}, {@link
 * Watch#take()}).
 *
 * <p>Implementations are thread-safe.
 */
public interface Store extends AutoCloseable {

  /**
   * Writes {@code value} under {@code key}, creating parent directories as needed.
   *
   * @param options {@code null} for the defaults
   * @throws KeyTypeException if {@code key} is a directory, or a parent of it is a key: not applied
   * @throws StoreUnavailableException if no member answered in time: applied or not as its {@link
   *     StoreUnavailableException#outcomeUnknown()} says (see the class comment)
   */
  void put(String key, byte @Nullable [] value, @Nullable WriteOptions options);

  /**
   * Reads one key.
   *
   * @param options {@code null} for the defaults (a consistent read)
   * @throws KeyNotFoundException if the key does not exist
   */
  KVPair get(String key, @Nullable ReadOptions options);

  /**
   * Deletes one key.
   *
   * @throws KeyNotFoundException if the key does not exist
   * @throws KeyTypeException if the key is a non-empty directory (use {@link #deleteTree}): not
   *     applied
   * @throws StoreUnavailableException if no member answered in time: applied or not as its {@link
   *     StoreUnavailableException#outcomeUnknown()} says (see the class comment)
   */
  void delete(String key);

  /** Tells whether the key (or directory) exists. */
  boolean exists(String key, @Nullable ReadOptions options);

  /**
   * Watches one key. The first update is the key's current value; every later change follows, in
   * index order.
   *
   * @throws KeyNotFoundException if the key does not exist when the watch starts
   */
  Watch<KVPair> watch(String key, @Nullable ReadOptions options);

  /**
   * Watches a directory. The first update is the current {@link #list}; each later update is the
   * whole listing after one or more changes.
   *
   * @throws KeyNotFoundException if the directory does not exist when the watch starts
   */
  Watch<List<KVPair>> watchTree(String directory, @Nullable ReadOptions options);

  /**
   * Watches one key, telling changes apart: {@link KeyEvent.Kind#CREATED}, {@link
   * KeyEvent.Kind#MODIFIED}, {@link KeyEvent.Kind#DELETED}, {@link KeyEvent.Kind#EXPIRED}. The
   * first event is {@link KeyEvent.Kind#CURRENT}: the value when the watch started. A consumer that
   * falls {@link ReadOptions#watchCapacity()} events behind ends the watch with a {@link
   * WatchOverflowException}; no event is ever dropped unseen.
   *
   * @throws KeyNotFoundException if the key does not exist when the watch starts
   */
  Watch<KeyEvent> watchEvents(String key, @Nullable ReadOptions options);

  /**
   * Watches a directory key by key: first a {@link KeyEvent.Kind#CURRENT} event for every entry
   * below it (as {@link #list} gives them), then one event per key that changes, including each
   * entry of a directory that is deleted or expires. Overflow as for {@link #watchEvents}.
   *
   * @throws KeyNotFoundException if the directory does not exist when the watch starts
   */
  Watch<KeyEvent> watchTreeEvents(String directory, @Nullable ReadOptions options);

  /**
   * Creates a distributed lock on {@code key}. Nothing is written until {@link Locker#lock()}.
   *
   * @param options {@code null} for the defaults
   */
  Locker newLock(String key, @Nullable LockOptions options);

  /**
   * Lists every entry below {@code directory}, directories included, sorted by key. Lock side keys
   * are left out. Listing a plain key gives an empty list.
   *
   * @throws KeyNotFoundException if the directory does not exist
   */
  List<KVPair> list(String directory, @Nullable ReadOptions options);

  /**
   * Deletes a directory and everything below it.
   *
   * @throws KeyNotFoundException if the directory does not exist
   * @throws StoreUnavailableException if no member answered in time: applied or not as its {@link
   *     StoreUnavailableException#outcomeUnknown()} says (see the class comment)
   */
  void deleteTree(String directory);

  /**
   * Writes {@code value} only if the key still is as {@code previous} describes it.
   *
   * @param previous {@code null} to create the key only if it does not exist yet
   * @param options {@code null} for the defaults
   * @return the key as written, with its new index
   * @throws KeyExistsException if {@code previous} is {@code null} and the key exists: not applied
   * @throws KeyModifiedException if the key changed since {@code previous} was read: not applied
   * @throws KeyNotFoundException if {@code previous} is given and the key no longer exists: not
   *     applied
   * @throws StoreUnavailableException if no member answered in time: applied or not as its {@link
   *     StoreUnavailableException#outcomeUnknown()} says; with an unknown outcome, read the key:
   *     the swap was applied if and only if it holds this value at an index after {@code
   *     previous}'s
   */
  KVPair atomicPut(
      String key,
      byte @Nullable [] value,
      @Nullable KVPair previous,
      @Nullable WriteOptions options);

  /**
   * Deletes the key only if it still is as {@code previous} describes it.
   *
   * @return the store's index of the deletion, for example to watch or fence from it
   * @throws PreviousNotSpecifiedException if {@code previous} is {@code null}
   * @throws KeyNotFoundException if the key no longer exists: not applied
   * @throws KeyModifiedException if the key changed since {@code previous} was read: not applied
   * @throws StoreUnavailableException if no member answered in time: applied or not as its {@link
   *     StoreUnavailableException#outcomeUnknown()} says (see the class comment)
   */
  long atomicDelete(String key, @Nullable KVPair previous);

  /**
   * This store's calls without blocking: the same semantics and exceptions, through {@link
   * java.util.concurrent.CompletableFuture}s, with a bound on outstanding calls (see {@link
   * AsyncStore}). Always the same object; closing the store ends it.
   */
  AsyncStore async();

  /**
   * Registers a listener for the store's connection state, called on {@code executor} for every
   * state entered from now on. While the store is not connected, the backend probes the cluster so
   * that recovery is noticed without traffic from the application.
   *
   * @return closes to remove the listener
   */
  ListenerRegistration addConnectionStateListener(
      ConnectionStateListener listener, java.util.concurrent.Executor executor);

  /** The store's current connection state, or {@code null} before its first request. */
  @Nullable ConnectionState connectionState();

  /**
   * Stops every watch, lock renewal and keep-alive, releases the locks this store holds, and closes
   * every connection. Idempotent. Later calls throw {@link StoreClosedException}.
   */
  @Override
  void close();

  /** {@link #put(String, byte[], WriteOptions)} with the default options. */
  default void put(String key, byte @Nullable [] value) {
    put(key, value, null);
  }

  /** {@link #get(String, ReadOptions)} with a consistent read. */
  default KVPair get(String key) {
    return get(key, null);
  }

  /** {@link #exists(String, ReadOptions)} with a consistent read. */
  default boolean exists(String key) {
    return exists(key, null);
  }

  /** {@link #list(String, ReadOptions)} with a consistent read. */
  default List<KVPair> list(String directory) {
    return list(directory, null);
  }

  /** {@link #watch(String, ReadOptions)} with the default options. */
  default Watch<KVPair> watch(String key) {
    return watch(key, null);
  }

  /** {@link #watchTree(String, ReadOptions)} with the default options. */
  default Watch<List<KVPair>> watchTree(String directory) {
    return watchTree(directory, null);
  }

  /** {@link #watchEvents(String, ReadOptions)} with the default options. */
  default Watch<KeyEvent> watchEvents(String key) {
    return watchEvents(key, null);
  }

  /** {@link #watchTreeEvents(String, ReadOptions)} with the default options. */
  default Watch<KeyEvent> watchTreeEvents(String directory) {
    return watchTreeEvents(directory, null);
  }
}
