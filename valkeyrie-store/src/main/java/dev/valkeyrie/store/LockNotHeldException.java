package dev.valkeyrie.store;

/** The lock is not held by this locker: it was never acquired, already released, or lost. */
public class LockNotHeldException extends StoreException {
  private static final long serialVersionUID = 1L;

  public LockNotHeldException(String message) {
    super(message);
  }

  public LockNotHeldException(String message, Throwable cause) {
    super(message, cause);
  }
}
