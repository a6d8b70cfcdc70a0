package dev.valkeyrie.store;

/** No endpoint answered in time, or the cluster could not serve the request (no quorum, no leader). The outcome of a write that fails this way is unknown: it may have been applied. */
public class StoreUnavailableException extends StoreException {
  private static final long serialVersionUID = 1L;

  public StoreUnavailableException(String message) {
    super(message);
  }

  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
