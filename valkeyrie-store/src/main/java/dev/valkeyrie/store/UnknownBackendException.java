package dev.valkeyrie.store;

/** No backend of the requested name is on the class path. */
public class UnknownBackendException extends StoreException {
  private static final long serialVersionUID = 1L;

  public UnknownBackendException(String message) {
    super(message);
  }

  public UnknownBackendException(String message, Throwable cause) {
    super(message, cause);
  }
}
