package dev.valkeyrie.testsuite.reference;

import dev.valkeyrie.store.Lease;
import dev.valkeyrie.store.LockNotHeldException;
import dev.valkeyrie.store.LockOptions;
import dev.valkeyrie.store.Locker;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** A lock on a {@link MemoryServer}: its value under the key, a side key while held. */
final class MemoryLocker implements Locker {

  private final MemoryStore store;
  private final MemoryServer server;
  private final String key;
  private final LockOptions options;
  private MemoryLease lease; // guarded by the server monitor

  MemoryLocker(MemoryStore store, MemoryServer server, String key, LockOptions options) {
    this.store = store;
    this.server = server;
    this.key = key;
    this.options = options;
  }

  @Override
  public Lease lock() throws InterruptedException {
    return acquire(Long.MAX_VALUE).orElseThrow();
  }

  @Override
  public Optional<Lease> tryLock(Duration timeout) throws InterruptedException {
    return acquire(System.nanoTime() + timeout.toNanos());
  }

  private Optional<Lease> acquire(long deadline) throws InterruptedException {
    synchronized (server) {
      if (lease != null && !lease.released.isDone()) {
        throw new IllegalStateException("already holding the lock on '" + key + "'");
      }
      while (true) {
        store.checkOpen();
        if (!server.locks.containsKey(key)) {
          break;
        }
        long left = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
        if (left <= 0) {
          return Optional.empty();
        }
        long millis = Math.max(1, Math.min(left / 1_000_000, 100));
        server.wait(millis);
      }
      long token = server.nextIndex();
      server.write(key, options.value(), Duration.ZERO, null);
      server.write(key + MemoryServer.LOCK_SUFFIX + "/" + token, new byte[0], Duration.ZERO, null);
      lease = new MemoryLease(token);
      server.locks.put(key, lease);
      store.held(lease);
      return Optional.of(lease);
    }
  }

  @Override
  public void unlock() {
    synchronized (server) {
      if (lease == null || lease.released.isDone()) {
        throw new LockNotHeldException("lock on '" + key + "' is not held by this locker");
      }
      lease.release();
    }
  }

  final class MemoryLease implements Lease {
    final CompletableFuture<Void> released = new CompletableFuture<>();
    private final long token;

    MemoryLease(long token) {
      this.token = token;
    }

    @Override
    public CompletableFuture<Void> released() {
      return released;
    }

    @Override
    public long fencingToken() {
      return token;
    }

    @Override
    public void close() {
      synchronized (server) {
        if (!released.isDone()) {
          release();
        }
      }
    }

    /** Caller holds the server monitor. */
    void release() {
      server.locks.remove(key, this);
      String side = key + MemoryServer.LOCK_SUFFIX;
      if (server.nodes.containsKey(side)) {
        server.removeTree(side);
      }
      if (options.deleteOnUnlock() && server.nodes.containsKey(key)) {
        server.removeTree(key);
      }
      store.released(this);
      released.complete(null);
      server.notifyAll();
    }
  }
}
