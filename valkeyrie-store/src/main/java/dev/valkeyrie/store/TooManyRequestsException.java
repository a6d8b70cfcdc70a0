package dev.valkeyrie.store;

import org.jspecify.annotations.Nullable;

/**
 * An asynchronous call was refused because the store already had its configured number of
 * outstanding asynchronous calls ({@link AsyncStore}). Nothing was sent: the call may simply be
 * made again once some of the outstanding ones have completed.
 */
public class TooManyRequestsException extends StoreException {
  private static final long serialVersionUID = 1L;

  public TooManyRequestsException(String message) {
    super(message);
  }

  public TooManyRequestsException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
