package dev.valkeyrie.etcdv2;

import java.net.URI;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP request as the etcd client needs it: no redirects, no retries, no cookies.
 *
 * @param method GET, HEAD, PUT, POST or DELETE
 * @param endpoint the member, {@code scheme://host:port}
 * @param target the already percent-encoded path and query; kept apart from the endpoint so the
 *     caller-thread client never parses a URI
 * @param formBody an {@code application/x-www-form-urlencoded} body, or {@code null} for none
 * @param deadline when the exchange must have ended, answer read, on the transport's clock ({@link
 *     Deadlines#now()}): for a long poll this bounds the idle wait
 * @param continueDeadline for a request whose body waits for the server's {@code 100 Continue}
 *     ({@code Expect: 100-continue}), when to give up waiting, without sending the body; 0 for a
 *     request sent whole at once. Only {@link HttpTransport#exchange} waits; {@link
 *     HttpTransport#send} sends whole.
 */
// Bodies are handed through without copies (values can be MiB); these records are never
// compared or hashed, so the array component's identity equality matters nowhere.
@SuppressWarnings("ArrayRecordComponent")
record HttpCall(
    String method,
    URI endpoint,
    String target,
    byte @Nullable [] formBody,
    long deadline,
    long continueDeadline) {

  /** A request sent whole at once. */
  public HttpCall(
      String method, URI endpoint, String target, byte @Nullable [] formBody, long deadline) {
    this(method, endpoint, target, formBody, deadline, 0);
  }

  /** Whether the body waits for the server's {@code 100 Continue}. */
  public boolean expectsContinue() {
    return continueDeadline != 0 && formBody != null;
  }

  /** The full URI, for clients that want one. */
  public URI uri() {
    return URI.create(endpoint + target);
  }

  /** The method, member and path (no query: it may carry values), for messages. */
  String describe() {
    int query = target.indexOf('?');
    return method + " " + endpoint + (query < 0 ? target : target.substring(0, query));
  }
}
