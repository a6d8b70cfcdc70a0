package dev.valkeyrie.store;

import org.jspecify.annotations.Nullable;

/** An atomic delete was called without the previous pair to compare against. */
public class PreviousNotSpecifiedException extends StoreException {
  private static final long serialVersionUID = 1L;

  public PreviousNotSpecifiedException(String message) {
    super(message);
  }

  public PreviousNotSpecifiedException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
