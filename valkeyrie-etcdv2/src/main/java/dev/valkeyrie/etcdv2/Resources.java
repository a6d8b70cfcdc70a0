package dev.valkeyrie.etcdv2;

import dev.valkeyrie.store.StoreClosedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/** Whether a store is open, and everything that must end when it closes. */
final class Resources {
  private final Set<StoreResource> open = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final String store;

  /**
   * @param store names the store in messages
   */
  Resources(String store) {
    this.store = store;
  }

  /**
   * @throws StoreClosedException if the store is closed
   */
  void checkOpen() {
    if (closed.get()) {
      throw new StoreClosedException(store + " is closed");
    }
  }

  boolean isClosed() {
    return closed.get();
  }

  /** Registers a resource; if the store closed meanwhile, shuts it down at once. */
  void register(StoreResource resource) {
    open.add(resource);
    if (closed.get() && open.remove(resource)) {
      var unused = resource.shutdown(new StoreClosedException(store + " is closed"));
    }
  }

  void unregister(StoreResource resource) {
    open.remove(resource);
  }

  /**
   * Marks the store closed, shuts every resource down and waits (up to {@code cleanupTimeout}) for
   * their network clean-up, such as lock releases.
   *
   * @return false if the store was closed already
   */
  boolean close(Duration cleanupTimeout) {
    if (!closed.compareAndSet(false, true)) {
      return false;
    }
    StoreClosedException cause = new StoreClosedException(store + " was closed");
    List<StoreResource> all = new ArrayList<>(open);
    open.clear();
    List<CompletableFuture<?>> cleanups = new ArrayList<>();
    for (StoreResource resource : all) {
      cleanups.add(resource.shutdown(cause));
    }
    try {
      CompletableFuture.allOf(cleanups.toArray(CompletableFuture[]::new))
          .get(cleanupTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // Best effort: a lock not released here expires with its TTL.
    }
    return true;
  }
}
