package dev.valkeyrie.testsuite.linearizability;

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
import java.util.List;
import java.util.concurrent.Executor;

/** A store that passes every call on to another: the base of the misbehaving test stores. */
abstract class ForwardingStore implements Store {

  protected final Store delegate;
  private volatile boolean closed;
  // Through this store's own calls, so that asynchronous calls misbehave as the blocking ones do.
  private final ThreadPoolAsyncStore async = new ThreadPoolAsyncStore(this, 64, "forwarding-async");

  ForwardingStore(Store delegate) {
    this.delegate = delegate;
  }

  boolean isClosed() {
    return closed;
  }

  @Override
  public void put(String key, byte[] value, WriteOptions options) {
    delegate.put(key, value, options);
  }

  @Override
  public KVPair get(String key, ReadOptions options) {
    return delegate.get(key, options);
  }

  @Override
  public void delete(String key) {
    delegate.delete(key);
  }

  @Override
  public boolean exists(String key, ReadOptions options) {
    return delegate.exists(key, options);
  }

  @Override
  public Watch<KVPair> watch(String key, ReadOptions options) {
    return delegate.watch(key, options);
  }

  @Override
  public Watch<List<KVPair>> watchTree(String directory, ReadOptions options) {
    return delegate.watchTree(directory, options);
  }

  @Override
  public Watch<KeyEvent> watchEvents(String key, ReadOptions options) {
    return delegate.watchEvents(key, options);
  }

  @Override
  public Watch<KeyEvent> watchTreeEvents(String directory, ReadOptions options) {
    return delegate.watchTreeEvents(directory, options);
  }

  @Override
  public Locker newLock(String key, LockOptions options) {
    return delegate.newLock(key, options);
  }

  @Override
  public List<KVPair> list(String directory, ReadOptions options) {
    return delegate.list(directory, options);
  }

  @Override
  public void deleteTree(String directory) {
    delegate.deleteTree(directory);
  }

  @Override
  public KVPair atomicPut(String key, byte[] value, KVPair previous, WriteOptions options) {
    return delegate.atomicPut(key, value, previous, options);
  }

  @Override
  public long atomicDelete(String key, KVPair previous) {
    return delegate.atomicDelete(key, previous);
  }

  @Override
  public ListenerRegistration addConnectionStateListener(
      ConnectionStateListener listener, Executor executor) {
    return delegate.addConnectionStateListener(listener, executor);
  }

  @Override
  public ConnectionState connectionState() {
    return delegate.connectionState();
  }

  @Override
  public AsyncStore async() {
    return async;
  }

  @Override
  public void close() {
    closed = true;
    async.close();
    delegate.close();
  }
}
