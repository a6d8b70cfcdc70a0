package dev.valkeyrie.store;

/**
 * An asynchronous call was refused because the store already had its configured number of
 * outstanding asynchronous calls ({@link AsyncStore}). Nothing was sent: the call may simply be
 * made again once some of the outstanding ones have completed.
 */
public class TooManyRequestsException extends StoreException {
  private static final long serialVersionUID = 1L;

  /** Names the bound that was reached. */
  public TooManyRequestsException(int maxOutstanding) {
    super(
        "too many outstanding asynchronous calls: "
            + maxOutstanding
            + " have not completed yet; nothing was sent",
        null);
  }
}
