package dev.valkeyrie.store;

import org.jspecify.annotations.Nullable;

/**
 * The watch has ended: closed by its user or its store, or failed for good (the cause says why).
 */
public class WatchClosedException extends StoreException {
  private static final long serialVersionUID = 1L;

  public WatchClosedException(String message) {
    super(message);
  }

  public WatchClosedException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
