package dev.valkeyrie.store;

import org.jspecify.annotations.Nullable;

/** The lock cannot be acquired for a reason that waiting will not fix. */
public class CannotLockException extends StoreException {
  private static final long serialVersionUID = 1L;

  public CannotLockException(String message) {
    super(message);
  }

  public CannotLockException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
