package dev.valkeyrie.etcdv2.internal;

import java.nio.charset.StandardCharsets;

/**
 * One request to the keys API.
 *
 * @param operation the store operation, for messages ({@code put}, {@code get}, ...)
 * @param query the encoded query string with its {@code ?}, or {@code ""}
 * @param body a form body, or {@code null}
 * @param retriable whether the request may be sent again after a failure that came after it was
 *     sent: reads and idempotent writes only. Any request is retried on another member when the
 *     connection was refused, because then nothing was sent
 * @param listing whether the answer is a listing to decode flat ({@link #list})
 */
public record KeysRequest(String method, String operation, KeyPath key, String query,
    byte[] body, boolean retriable, boolean listing) {

  private static final String QUORUM = Query.of().flag("quorum").toString();

  /** A plain read of one node (get, exists), the query made once rather than per request. */
  public static KeysRequest read(String operation, KeyPath key, boolean quorum) {
    return new KeysRequest("GET", operation, key, quorum ? QUORUM : "", null, true, false);
  }

  public static KeysRequest get(String operation, KeyPath key, Query query) {
    return new KeysRequest("GET", operation, key, query.toString(), null, true, false);
  }

  /**
   * A recursive, sorted read of a directory whose answer is decoded flat, into {@link
   * EtcdResponse#entries}.
   */
  public static KeysRequest list(String operation, KeyPath directory, boolean quorum) {
    Query query = Query.of().flag("recursive").flag("sorted").flag("quorum", quorum);
    return new KeysRequest("GET", operation, directory, query.toString(), null, true, true);
  }

  /** A write; the form body carries the value (query strings are limited to 4 KiB). */
  public static KeysRequest put(
      String operation, KeyPath key, Query query, byte[] value, boolean retriable) {
    byte[] body = value == null ? null : PercentEncoding.formField("value", value);
    return new KeysRequest("PUT", operation, key, query.toString(), body, retriable, false);
  }

  public static KeysRequest delete(String operation, KeyPath key, Query query) {
    return new KeysRequest("DELETE", operation, key, query.toString(), null, false, false);
  }

  /** Whether this is a watch's long poll, which may stay silent for as long as nothing changes. */
  public boolean isLongPoll() {
    return method.equals("GET") && (query.startsWith("?wait=true") || query.contains("&wait=true"));
  }

  /** The size of the form body, to check it against etcd's 10 MiB cap before sending. */
  public int bodySize() {
    return body == null ? 0 : body.length;
  }

  @Override
  public String toString() {
    return method + " " + key.path() + query
        + (body == null ? "" : " (" + new String(body, 0, Math.min(body.length, 32),
            StandardCharsets.US_ASCII) + (body.length > 32 ? "..." : "") + ")");
  }
}
