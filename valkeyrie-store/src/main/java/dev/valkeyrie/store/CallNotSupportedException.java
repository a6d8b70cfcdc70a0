package dev.valkeyrie.store;

import org.jspecify.annotations.Nullable;

/** The backend does not support this call. */
public class CallNotSupportedException extends StoreException {
  private static final long serialVersionUID = 1L;

  public CallNotSupportedException(String message) {
    super(message);
  }

  public CallNotSupportedException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
