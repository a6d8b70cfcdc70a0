package dev.valkeyrie.etcdv2;

import java.util.concurrent.CompletableFuture;

/**
 * The seam between the etcd client and an HTTP stack. Implementations send HTTP/1.1, reuse
 * connections, never follow redirects and never retry on their own: the caller decides what is safe
 * to resend, from the kind of {@link ExchangeException} an exchange ends with.
 *
 * <p>Every exchange ends by its call's {@link HttpCall#deadline()}, plus a few milliseconds,
 * whatever the server does.
 */
interface HttpTransport extends AutoCloseable {

  /**
   * Runs the exchange in the calling thread, which waits for the answer anyway: no hand-off to an
   * I/O thread and back (two thread wake-ups per request, the largest cost of a small request on a
   * busy machine).
   *
   * @throws NothingSentException if the server cannot have seen the request
   * @throws NoAnswerException if the request was sent and no complete answer came
   */
  HttpResult exchange(HttpCall call) throws ExchangeException;

  /**
   * Sends without blocking. The future fails with an {@link ExchangeException}, as {@link
   * #exchange} throws it. Cancelling the future aborts the exchange and frees its connection.
   */
  CompletableFuture<HttpResult> send(HttpCall call);

  /** Aborts every exchange in flight, closes every connection and stops every thread. */
  @Override
  void close();
}
