package dev.valkeyrie.etcdv2;

import org.jspecify.annotations.Nullable;

/**
 * The request was (at least partly) written to an established connection, and no complete answer
 * came back: the connection was reset or closed, or the deadline passed. The server may have
 * received the request and may apply it, even later: a write that ends this way has an unknown
 * outcome and must not be sent again.
 */
final class NoAnswerException extends ExchangeException {
  private static final long serialVersionUID = 1L;

  public NoAnswerException(String message, @Nullable Throwable cause, boolean timedOut) {
    super(message, cause, timedOut);
  }
}
