package dev.valkeyrie.store;

import org.jspecify.annotations.Nullable;

/**
 * The root of every exception a {@link Store} throws. Unchecked. Messages name the key or endpoint
 * involved and carry the server's own error text where there is one.
 */
public class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
