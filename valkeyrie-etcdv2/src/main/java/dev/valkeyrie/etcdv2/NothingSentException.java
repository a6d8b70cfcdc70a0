package dev.valkeyrie.etcdv2;

import org.jspecify.annotations.Nullable;

/**
 * Not one byte of the request was written to an established connection: the connection was refused
 * or timed out, the TLS handshake failed, no pooled connection became free in time, or the
 * transport was closed. The server cannot have seen the request, so any request may be sent again,
 * to any member.
 */
final class NothingSentException extends ExchangeException {
  private static final long serialVersionUID = 1L;

  public NothingSentException(String message, @Nullable Throwable cause, boolean timedOut) {
    super(message, cause, timedOut);
  }
}
