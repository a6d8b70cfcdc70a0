package dev.valkeyrie.etcdv2.internal.http;

import java.util.concurrent.CompletableFuture;

/**
 * The seam between the etcd client and an HTTP stack. Implementations send HTTP/1.1 (or HTTP/2 over
 * TLS), reuse connections, never follow redirects and never retry on their own: the caller decides
 * what is safe to resend.
 *
 * <p>The returned future fails with an {@link java.io.IOException} (connection refused, reset,
 * TLS failure) or a {@link java.util.concurrent.TimeoutException} when the exchange stayed silent
 * past {@link HttpCall#timeout()}. Cancelling the future aborts the exchange and frees its
 * connection.
 */
public interface HttpTransport extends AutoCloseable {

  CompletableFuture<HttpResult> send(HttpCall call);

  /**
   * Sends for a caller that will do nothing but wait for the answer. A stack may run the whole
   * exchange in the calling thread and return a completed future, which spares the hand-off to an
   * I/O thread and back (two thread wake-ups per request, the largest cost of a small request on
   * a busy machine). Failures and timeouts are reported as by {@link #send}. The default sends.
   */
  default CompletableFuture<HttpResult> sendAndWait(HttpCall call) {
    return send(call);
  }

  /** Aborts every exchange in flight, closes every connection and stops every thread. */
  @Override
  void close();
}
