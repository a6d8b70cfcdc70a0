package dev.valkeyrie.store;

import org.jspecify.annotations.Nullable;

/** The key or directory does not exist. */
public class KeyNotFoundException extends StoreException {
  private static final long serialVersionUID = 1L;

  public KeyNotFoundException(String message) {
    super(message);
  }

  public KeyNotFoundException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
