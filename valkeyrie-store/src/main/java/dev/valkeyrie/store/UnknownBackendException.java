package dev.valkeyrie.store;

import org.jspecify.annotations.Nullable;

/** No backend of the requested name is on the class path. */
public class UnknownBackendException extends StoreException {
  private static final long serialVersionUID = 1L;

  public UnknownBackendException(String message) {
    super(message);
  }

  public UnknownBackendException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
