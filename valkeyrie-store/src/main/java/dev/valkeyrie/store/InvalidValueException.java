package dev.valkeyrie.store;

import org.jspecify.annotations.Nullable;

/** The value cannot be stored faithfully: too large, or not representable by the backend. */
public class InvalidValueException extends StoreException {
  private static final long serialVersionUID = 1L;

  public InvalidValueException(String message) {
    super(message);
  }

  public InvalidValueException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
