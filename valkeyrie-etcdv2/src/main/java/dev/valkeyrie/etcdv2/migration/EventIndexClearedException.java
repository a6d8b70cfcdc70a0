package dev.valkeyrie.etcdv2.migration;

import dev.valkeyrie.store.StoreException;

/**
 * etcd error 401: the index waited from has left etcd's 1,000-event history, so the changes since
 * then can no longer be read one by one; read the tree again.
 */
public final class EventIndexClearedException extends StoreException {
  private static final long serialVersionUID = 1L;

  private final long waitIndex;

  public EventIndexClearedException(String message, long waitIndex) {
    super(message, null);
    this.waitIndex = waitIndex;
  }

  /** The index that was waited from. */
  public long waitIndex() {
    return waitIndex;
  }
}
