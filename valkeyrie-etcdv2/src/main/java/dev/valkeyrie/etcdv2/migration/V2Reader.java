package dev.valkeyrie.etcdv2.migration;

import dev.valkeyrie.etcdv2.EtcdV2Store;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Raw reads of one open {@link EtcdV2Store}, on its connections, members, TLS and credentials. It
 * owns nothing: closing the store ends it.
 */
public interface V2Reader {

  /**
   * A quorum, recursive, sorted read of {@code directory} ({@code ""} for the whole tree), with
   * TTLs. Hidden ({@code _}) nodes are absent, as etcd leaves them out of recursive reads.
   *
   * @param timeout how long the read may take (a large tree takes longer than one key)
   * @throws dev.valkeyrie.store.InvalidKeyException if {@code directory} is not a valid key
   * @throws dev.valkeyrie.store.StoreException as {@code list} does
   */
  V2Snapshot snapshot(String directory, Duration timeout);

  /**
   * The first change at or after {@code waitIndex} in or below {@code directory}: a recursive long
   * poll. Completes empty when nothing changed within {@code idle}; fails with {@link
   * EventIndexClearedException} when {@code waitIndex} left etcd's history. Cancelling it aborts
   * the poll.
   */
  CompletableFuture<Optional<V2Event>> next(String directory, long waitIndex, Duration idle);

  /** The reader of an open store. */
  static V2Reader of(EtcdV2Store store) {
    Function<EtcdV2Store, V2Reader> factory = Installed.FACTORY.get();
    if (factory == null) {
      throw new IllegalStateException("the etcd v2 backend did not install its raw reader");
    }
    return factory.apply(store);
  }

  /**
   * Called once, by {@link EtcdV2Store}'s class initialisation (which has run for any store
   * instance), so that the reader can reach the store's internals without them being exported.
   */
  static void install(Function<EtcdV2Store, V2Reader> factory) {
    if (!Installed.FACTORY.compareAndSet(null, factory)) {
      throw new IllegalStateException("raw reader already installed");
    }
  }

  /** Where {@link #install} keeps the factory. */
  final class Installed {
    private static final AtomicReference<@Nullable Function<EtcdV2Store, V2Reader>> FACTORY =
        new AtomicReference<>();

    private Installed() {}
  }
}
