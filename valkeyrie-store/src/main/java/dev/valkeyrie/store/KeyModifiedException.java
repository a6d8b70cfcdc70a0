package dev.valkeyrie.store;

import org.jspecify.annotations.Nullable;

/** A compare-and-swap or compare-and-delete failed: the key changed since it was read. */
public class KeyModifiedException extends StoreException {
  private static final long serialVersionUID = 1L;

  public KeyModifiedException(String message) {
    super(message);
  }

  public KeyModifiedException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
