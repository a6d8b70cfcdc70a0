package dev.valkeyrie.store;

import org.jspecify.annotations.Nullable;

/** The endpoints or the configuration given to open a store are unusable. */
public class InvalidConfigurationException extends StoreException {
  private static final long serialVersionUID = 1L;

  public InvalidConfigurationException(String message) {
    super(message);
  }

  public InvalidConfigurationException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
