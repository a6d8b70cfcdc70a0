package dev.valkeyrie.store;

import org.jspecify.annotations.Nullable;

/**
 * The operation needs a key where there is a directory, or a directory where there is a key (etcd
 * v2 keeps the two apart).
 */
public class KeyTypeException extends StoreException {
  private static final long serialVersionUID = 1L;

  public KeyTypeException(String message) {
    super(message);
  }

  public KeyTypeException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
