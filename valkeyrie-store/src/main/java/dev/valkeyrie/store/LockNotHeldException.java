package dev.valkeyrie.store;

import org.jspecify.annotations.Nullable;

/** The lock is not held by this locker: it was never acquired, already released, or lost. */
public class LockNotHeldException extends StoreException {
  private static final long serialVersionUID = 1L;

  public LockNotHeldException(String message) {
    super(message);
  }

  public LockNotHeldException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
