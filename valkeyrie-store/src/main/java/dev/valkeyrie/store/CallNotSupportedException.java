package dev.valkeyrie.store;

/** The backend does not support this call. */
public class CallNotSupportedException extends StoreException {
  private static final long serialVersionUID = 1L;

  public CallNotSupportedException(String message) {
    super(message);
  }

  public CallNotSupportedException(String message, Throwable cause) {
    super(message, cause);
  }
}
