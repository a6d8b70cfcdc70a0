package dev.valkeyrie.testsuite.reference;

import dev.valkeyrie.store.AsyncStore;
import dev.valkeyrie.store.ConnectionState;
import dev.valkeyrie.store.ConnectionStateListener;
import dev.valkeyrie.store.InvalidValueException;
import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.KeyEvent;
import dev.valkeyrie.store.KeyExistsException;
import dev.valkeyrie.store.KeyModifiedException;
import dev.valkeyrie.store.KeyNotFoundException;
import dev.valkeyrie.store.KeyTypeException;
import dev.valkeyrie.store.ListenerRegistration;
import dev.valkeyrie.store.LockOptions;
import dev.valkeyrie.store.Locker;
import dev.valkeyrie.store.PreviousNotSpecifiedException;
import dev.valkeyrie.store.ReadOptions;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.store.StoreClosedException;
import dev.valkeyrie.store.Watch;
import dev.valkeyrie.store.WriteOptions;
import dev.valkeyrie.store.spi.ThreadPoolAsyncStore;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;

/** A client of a {@link MemoryServer}: the reference {@link Store} of the suite's self-test. */
final class MemoryStore implements Store {
  private final ThreadPoolAsyncStore async = new ThreadPoolAsyncStore(this, 64, "memory-async");

  private final MemoryServer server;
  private final Set<MemoryWatch<?>> watches = new LinkedHashSet<>(); // guarded by server
  private final Set<MemoryLocker.MemoryLease> leases = new LinkedHashSet<>(); // guarded by server
  private volatile boolean closed;

  MemoryStore(MemoryServer server) {
    this.server = server;
  }

  boolean isClosed() {
    return closed;
  }

  void checkOpen() {
    if (closed) {
      throw new StoreClosedException("store is closed");
    }
  }

  void held(MemoryLocker.MemoryLease lease) {
    leases.add(lease);
  }

  void released(MemoryLocker.MemoryLease lease) {
    leases.remove(lease);
  }

  @Override
  public void put(String key, byte[] value, WriteOptions options) {
    WriteOptions opts = options == null ? WriteOptions.DEFAULT : options;
    synchronized (server) {
      checkOpen();
      String k = MemoryServer.normalize(key);
      if (opts.isDir()) {
        server.makeDirectory(k, opts.ttl());
        return;
      }
      if (value == null) {
        throw new InvalidValueException("value of '" + k + "' is null");
      }
      server.write(k, value, opts.ttl(), opts.keepAlive() ? this : null);
    }
  }

  @Override
  public KVPair get(String key, ReadOptions options) {
    synchronized (server) {
      checkOpen();
      String k = MemoryServer.normalize(key);
      MemoryServer.Node node = server.nodes.get(k);
      if (node == null) {
        throw new KeyNotFoundException("key not found: " + k);
      }
      return new KVPair(k, node.value, node.modifiedIndex);
    }
  }

  @Override
  public void delete(String key) {
    synchronized (server) {
      checkOpen();
      String k = MemoryServer.normalize(key);
      MemoryServer.Node node = server.nodes.get(k);
      if (node == null) {
        throw new KeyNotFoundException("key not found: " + k);
      }
      if (node.dir && !server.below(k).isEmpty()) {
        throw new KeyTypeException("'" + k + "' is a non-empty directory");
      }
      server.removeTree(k);
    }
  }

  @Override
  public boolean exists(String key, ReadOptions options) {
    synchronized (server) {
      checkOpen();
      return server.nodes.containsKey(MemoryServer.normalize(key));
    }
  }

  @Override
  public Watch<KVPair> watch(String key, ReadOptions options) {
    synchronized (server) {
      checkOpen();
      String k = MemoryServer.normalize(key);
      if (!server.nodes.containsKey(k)) {
        throw new KeyNotFoundException("key not found: " + k);
      }
      MemoryWatch<KVPair> watch = MemoryWatch.onKey(server, k);
      watches.add(watch);
      return watch;
    }
  }

  @Override
  public Watch<List<KVPair>> watchTree(String directory, ReadOptions options) {
    synchronized (server) {
      checkOpen();
      String dir = MemoryServer.normalize(directory);
      if (!server.nodes.containsKey(dir)) {
        throw new KeyNotFoundException("directory not found: " + dir);
      }
      MemoryWatch<List<KVPair>> watch = MemoryWatch.onTree(server, dir);
      watches.add(watch);
      return watch;
    }
  }

  @Override
  public Locker newLock(String key, LockOptions options) {
    synchronized (server) {
      checkOpen();
      return new MemoryLocker(
          this,
          server,
          MemoryServer.normalize(key),
          options == null ? LockOptions.DEFAULT : options);
    }
  }

  @Override
  public List<KVPair> list(String directory, ReadOptions options) {
    synchronized (server) {
      checkOpen();
      return server.listing(MemoryServer.normalize(directory));
    }
  }

  @Override
  public void deleteTree(String directory) {
    synchronized (server) {
      checkOpen();
      String dir = MemoryServer.normalize(directory);
      if (!server.nodes.containsKey(dir)) {
        throw new KeyNotFoundException("directory not found: " + dir);
      }
      server.removeTree(dir);
    }
  }

  @Override
  public KVPair atomicPut(String key, byte[] value, KVPair previous, WriteOptions options) {
    WriteOptions opts = options == null ? WriteOptions.DEFAULT : options;
    synchronized (server) {
      checkOpen();
      String k = MemoryServer.normalize(key);
      if (value == null) {
        throw new InvalidValueException("value of '" + k + "' is null");
      }
      MemoryServer.Node node = server.nodes.get(k);
      if (previous == null && node != null) {
        throw new KeyExistsException("key exists: " + k);
      }
      if (previous != null) {
        if (node == null) {
          throw new KeyNotFoundException("key not found: " + k);
        }
        if (node.modifiedIndex != previous.lastIndex()) {
          throw new KeyModifiedException("key modified: " + k);
        }
      }
      MemoryServer.Node written =
          server.write(k, value, opts.ttl(), opts.keepAlive() ? this : null);
      return new KVPair(k, written.value, written.modifiedIndex);
    }
  }

  @Override
  public Watch<KeyEvent> watchEvents(String key, ReadOptions options) {
    return new MemoryEventWatch(watch(key, options));
  }

  @Override
  public Watch<KeyEvent> watchTreeEvents(String directory, ReadOptions options) {
    return new MemoryEventWatch(watchTree(directory, options));
  }

  @Override
  public ListenerRegistration addConnectionStateListener(
      ConnectionStateListener listener, Executor executor) {
    java.util.Objects.requireNonNull(listener, "listener");
    java.util.Objects.requireNonNull(executor, "executor");
    return () -> {}; // always connected: no state ever changes
  }

  @Override
  public ConnectionState connectionState() {
    return ConnectionState.CONNECTED;
  }

  @Override
  public long atomicDelete(String key, KVPair previous) {
    synchronized (server) {
      checkOpen();
      String k = MemoryServer.normalize(key);
      if (previous == null) {
        throw new PreviousNotSpecifiedException("atomicDelete of '" + k + "' without previous");
      }
      MemoryServer.Node node = server.nodes.get(k);
      if (node == null) {
        throw new KeyNotFoundException("key not found: " + k);
      }
      if (node.modifiedIndex != previous.lastIndex()) {
        throw new KeyModifiedException("key modified: " + k);
      }
      long deletedAt = server.nextIndex();
      server.removeTree(k);
      return deletedAt;
    }
  }

  @Override
  public AsyncStore async() {
    return async;
  }

  @Override
  public void close() {
    async.close();
    synchronized (server) {
      if (closed) {
        return;
      }
      closed = true;
      for (MemoryWatch<?> watch : new ArrayList<>(watches)) {
        watch.end("store closed");
      }
      watches.clear();
      for (MemoryLocker.MemoryLease lease : new ArrayList<>(leases)) {
        lease.release();
      }
      server.notifyAll();
    }
  }
}
