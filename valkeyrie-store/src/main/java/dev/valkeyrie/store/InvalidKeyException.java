package dev.valkeyrie.store;

import org.jspecify.annotations.Nullable;

/** The key is not valid: null, blank, or not representable by the backend. */
public class InvalidKeyException extends StoreException {
  private static final long serialVersionUID = 1L;

  public InvalidKeyException(String message) {
    super(message);
  }

  public InvalidKeyException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
