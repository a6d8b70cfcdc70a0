package dev.valkeyrie.etcdv2;

import java.util.concurrent.CompletableFuture;

/** Something that must end when its store closes: a watch, a lock's holding, keep-alives. */
interface StoreResource {
  /**
   * Ends the resource; {@code cause} says why (the store closed). Must not block: work that needs
   * the network (releasing a lock) is started and returned as a future.
   */
  CompletableFuture<?> shutdown(Throwable cause);
}
