package dev.valkeyrie.store;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The non-blocking view of a {@link Store}: every call of the store, returning at once with a
 * {@link CompletableFuture}. Obtained from {@link Store#async()}; closing the store ends it.
 *
 * <p>Each call has the semantics of the {@link Store} call of the same name, and its future fails
 * with the exception that call would throw (unwrapped: {@link CompletableFuture#join()} wraps it in
 * a {@link java.util.concurrent.CompletionException}, {@link CompletableFuture#get()} in an {@link
 * java.util.concurrent.ExecutionException}). In particular, a write whose future fails with {@link
 * StoreUnavailableException#outcomeUnknown()} {@code true} may have been applied, and is never sent
 * again. No call throws: invalid arguments, a closed store and every other failure arrive through
 * the future.
 *
 * <p>Every future completes within the backend's request timeout (plus a few milliseconds),
 * whatever the servers do. It completes on one of the store's own threads: stages that block or
 * take long belong on the caller's executor ({@code thenApplyAsync(f, executor)}), or they delay
 * other completions of the same store.
 *
 * <p><b>A bound on outstanding calls.</b> A store holds at most its configured number of
 * outstanding asynchronous calls (calls whose future has not completed). A call beyond that bound
 * fails at once with {@link TooManyRequestsException}, having sent nothing, so a caller that issues
 * calls faster than the cluster answers them cannot exhaust memory: it sees the refusals and slows
 * down.
 *
 * <p><b>Cancellation.</b> Cancelling a future stops waiting for its answer. A read is abandoned. A
 * write that was already sent may still be applied: cancel a write only when its outcome does not
 * matter.
 *
 * <p>Thread-safe.
 */
public interface AsyncStore {

  /** {@link Store#put(String, byte[], WriteOptions)}, without blocking. */
  CompletableFuture<Void> put(String key, byte @Nullable [] value, @Nullable WriteOptions options);

  /** {@link Store#get(String, ReadOptions)}, without blocking. */
  CompletableFuture<KVPair> get(String key, @Nullable ReadOptions options);

  /** {@link Store#delete(String)}, without blocking. */
  CompletableFuture<Void> delete(String key);

  /** {@link Store#exists(String, ReadOptions)}, without blocking. */
  CompletableFuture<Boolean> exists(String key, @Nullable ReadOptions options);

  /** {@link Store#list(String, ReadOptions)}, without blocking. */
  CompletableFuture<List<KVPair>> list(String directory, @Nullable ReadOptions options);

  /** {@link Store#deleteTree(String)}, without blocking. */
  CompletableFuture<Void> deleteTree(String directory);

  /** {@link Store#atomicPut(String, byte[], KVPair, WriteOptions)}, without blocking. */
  CompletableFuture<KVPair> atomicPut(
      String key,
      byte @Nullable [] value,
      @Nullable KVPair previous,
      @Nullable WriteOptions options);

  /** {@link Store#atomicDelete(String, KVPair)}, without blocking. */
  CompletableFuture<Long> atomicDelete(String key, @Nullable KVPair previous);

  /**
   * {@link Store#watch(String, ReadOptions)}, without blocking: the future completes with the watch
   * once its first read is done (its first update is then ready to take).
   */
  CompletableFuture<Watch<KVPair>> watch(String key, @Nullable ReadOptions options);

  /** {@link Store#watchTree(String, ReadOptions)}, without blocking; as {@link #watch}. */
  CompletableFuture<Watch<List<KVPair>>> watchTree(String directory, @Nullable ReadOptions options);

  /** {@link Store#watchEvents(String, ReadOptions)}, without blocking; as {@link #watch}. */
  CompletableFuture<Watch<KeyEvent>> watchEvents(String key, @Nullable ReadOptions options);

  /** {@link Store#watchTreeEvents(String, ReadOptions)}, without blocking; as {@link #watch}. */
  CompletableFuture<Watch<KeyEvent>> watchTreeEvents(
      String directory, @Nullable ReadOptions options);

  /** {@link #put(String, byte[], WriteOptions)} with the default options. */
  default CompletableFuture<Void> put(String key, byte @Nullable [] value) {
    return put(key, value, null);
  }

  /** {@link #get(String, ReadOptions)} with a consistent read. */
  default CompletableFuture<KVPair> get(String key) {
    return get(key, null);
  }

  /** {@link #exists(String, ReadOptions)} with a consistent read. */
  default CompletableFuture<Boolean> exists(String key) {
    return exists(key, null);
  }

  /** {@link #list(String, ReadOptions)} with a consistent read. */
  default CompletableFuture<List<KVPair>> list(String directory) {
    return list(directory, null);
  }
}
