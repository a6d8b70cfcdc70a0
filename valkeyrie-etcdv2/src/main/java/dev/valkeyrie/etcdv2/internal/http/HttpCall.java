package dev.valkeyrie.etcdv2.internal.http;

import java.net.URI;
import java.time.Duration;

/**
 * One HTTP request as the etcd client needs it: no redirects, no retries, no cookies.
 *
 * @param method GET, HEAD, PUT, POST or DELETE
 * @param endpoint the member, {@code scheme://host:port}
 * @param target the already percent-encoded path and query; kept apart from the endpoint so the
 *     caller-thread client never parses a URI
 * @param formBody an {@code application/x-www-form-urlencoded} body, or {@code null} for none
 * @param timeout how long the exchange may stay silent before it fails: for a long-poll watch
 *     this bounds the idle wait, for everything else the response time
 */
public record HttpCall(
    String method, URI endpoint, String target, byte[] formBody, Duration timeout) {

  /** The full URI, for clients that want one. */
  public URI uri() {
    return URI.create(endpoint + target);
  }
}
