package dev.valkeyrie.store;

import org.jspecify.annotations.Nullable;

/** A create-only write failed: the key already exists. */
public class KeyExistsException extends StoreException {
  private static final long serialVersionUID = 1L;

  public KeyExistsException(String message) {
    super(message);
  }

  public KeyExistsException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
