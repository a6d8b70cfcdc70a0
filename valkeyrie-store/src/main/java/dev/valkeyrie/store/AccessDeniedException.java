package dev.valkeyrie.store;

import org.jspecify.annotations.Nullable;

/** The store refused the credentials, or the user may not access the key. */
public class AccessDeniedException extends StoreException {
  private static final long serialVersionUID = 1L;

  public AccessDeniedException(String message) {
    super(message);
  }

  public AccessDeniedException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
