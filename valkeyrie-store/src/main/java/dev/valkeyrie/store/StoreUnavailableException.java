package dev.valkeyrie.store;

import org.jspecify.annotations.Nullable;

/**
 * No endpoint answered in time, or the cluster could not serve the request (no quorum, no leader).
 *
 * <p>For a write, {@link #outcomeUnknown()} says what may already have happened:
 *
 * <ul>
 *   <li>{@code false}: the write was not applied. Nothing reached a server (the connection was
 *       refused, the TLS handshake failed), or the server said it did not apply it. It is safe to
 *       send it again.
 *   <li>{@code true}: the request may have reached a server, which may have applied it, or may
 *       still apply it later. Read the key to find out before doing anything that is not
 *       idempotent; never assume either outcome.
 * </ul>
 *
 * <p>A read that fails this way has no effect, and {@link #outcomeUnknown()} is {@code false}.
 */
public class StoreUnavailableException extends StoreException {
  private static final long serialVersionUID = 1L;

  private final boolean outcomeUnknown;

  /** A failure that applied nothing. */
  public StoreUnavailableException(String message) {
    this(message, null, false);
  }

  /** A failure that applied nothing. */
  public StoreUnavailableException(String message, @Nullable Throwable cause) {
    this(message, cause, false);
  }

  /**
   * @param outcomeUnknown whether a write may have been applied: see {@link #outcomeUnknown()}
   */
  public StoreUnavailableException(
      String message, @Nullable Throwable cause, boolean outcomeUnknown) {
    super(message, cause);
    this.outcomeUnknown = outcomeUnknown;
  }

  /**
   * Whether the failed write may nevertheless have been applied (or may be applied later, when a
   * delayed copy of the request reaches the cluster). {@code false} means it was not applied.
   */
  public boolean outcomeUnknown() {
    return outcomeUnknown;
  }
}
