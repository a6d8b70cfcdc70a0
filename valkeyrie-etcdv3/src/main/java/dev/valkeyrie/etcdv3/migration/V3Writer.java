package dev.valkeyrie.etcdv3.migration;

import dev.valkeyrie.etcdv3.EtcdV3Store;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Raw access to one open {@link EtcdV3Store}, on its channels, members, TLS and credentials. It
 * owns nothing: closing the store ends it.
 */
public interface V3Writer {

  /** etcd's limit of operations in one transaction. */
  int MAX_OPS = 128;

  /**
   * Checks that the v3 backend accepts {@code key} as a key name and reads it back under it.
   *
   * @throws dev.valkeyrie.store.InvalidKeyException naming the key if it does not
   */
  void checkKey(String key);

  /** The largest request etcd takes (the store's {@code maxRequestBytes}), with its overhead. */
  int maxRequestBytes();

  /**
   * Every key of the directory {@code directory} (the key itself and {@code [d/, d0)}; {@code ""}:
   * every key), read linearizably and paged at one revision.
   *
   * @throws dev.valkeyrie.store.StoreException as {@code list} does
   */
  V3Range readTree(String directory);

  /**
   * Grants a lease of {@code ttlSeconds} (at least 2) with a fresh client-chosen ID (so a resent
   * grant is harmless) and completes with the ID.
   */
  CompletableFuture<Long> grantLease(long ttlSeconds);

  /**
   * One transaction: if every guard holds, every write, at one revision. At most {@link #MAX_OPS}
   * writes, each key once. A transaction that may have reached etcd is never resent: it fails with
   * {@link dev.valkeyrie.store.StoreUnavailableException} whose {@code outcomeUnknown()} is true,
   * and may have been applied.
   */
  CompletableFuture<V3TxnResult> txn(List<V3Guard> guards, List<V3Write> writes);

  /** The writer of an open store. */
  static V3Writer of(EtcdV3Store store) {
    Function<EtcdV3Store, V3Writer> factory = Installed.FACTORY.get();
    if (factory == null) {
      throw new IllegalStateException("the etcd v3 backend did not install its raw writer");
    }
    return factory.apply(store);
  }

  /**
   * Called once, by {@link EtcdV3Store}'s class initialisation (which has run for any store
   * instance), so that the writer can reach the store's internals without them being exported.
   */
  static void install(Function<EtcdV3Store, V3Writer> factory) {
    if (!Installed.FACTORY.compareAndSet(null, factory)) {
      throw new IllegalStateException("raw writer already installed");
    }
  }

  /** Where {@link #install} keeps the factory. */
  final class Installed {
    private static final AtomicReference<@Nullable Function<EtcdV3Store, V3Writer>> FACTORY =
        new AtomicReference<>();

    private Installed() {}
  }
}
