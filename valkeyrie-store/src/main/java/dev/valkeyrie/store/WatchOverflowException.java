package dev.valkeyrie.store;

import org.jspecify.annotations.Nullable;

/**
 * An event watch ended because its consumer fell behind by more updates than the watch keeps (see
 * {@link ReadOptions#watchCapacity()}). It ends rather than drop an event unseen: the consumer has
 * every event up to this point, and none after. Read the current state anew and start another
 * watch.
 */
public class WatchOverflowException extends StoreException {
  private static final long serialVersionUID = 1L;

  public WatchOverflowException(String message) {
    super(message);
  }

  public WatchOverflowException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
