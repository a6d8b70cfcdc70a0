package dev.valkeyrie.etcdv2;

import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * An exchange that got no complete answer. Which of the two kinds it is decides whether the request
 * may be sent to another member: it is known only here, where the exchange failed.
 */
abstract sealed class ExchangeException extends IOException
    permits NothingSentException, NoAnswerException {
  private static final long serialVersionUID = 1L;

  private final boolean timedOut;

  ExchangeException(String message, @Nullable Throwable cause, boolean timedOut) {
    super(message, cause);
    this.timedOut = timedOut;
  }

  /** Whether the exchange ended because its deadline passed. */
  public boolean timedOut() {
    return timedOut;
  }
}
