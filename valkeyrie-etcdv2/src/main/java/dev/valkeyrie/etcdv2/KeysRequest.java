package dev.valkeyrie.etcdv2;

import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * One request to the keys API, with what may be done with it when it fails.
 *
 * @param operation the store operation, for messages ({@code put}, {@code get}, ...)
 * @param query the encoded query string with its {@code ?}, or {@code ""}
 * @param body a form body, or {@code null}
 * @param kind whether it may be sent again, and what silence means
 * @param listing whether the answer is a listing to decode flat ({@link #list})
 */
// Bodies are handed through without copies (values can be MiB); these records are never
// compared or hashed, so the array component's identity equality matters nowhere.
@SuppressWarnings("ArrayRecordComponent")
record KeysRequest(
    String method,
    String operation,
    KeyPath key,
    String query,
    byte @Nullable [] body,
    Kind kind,
    boolean listing) {

  /** What a request may be resent after, and what its silence means. */
  public enum Kind {
    /**
     * A read. It changes nothing, so after any failure it may go to another member, and a member
     * that answers with a server error (no leader, no quorum) is passed over.
     */
    READ,
    /**
     * A write. It goes to another member only when nothing of it was sent. Once any byte may have
     * reached a member it is never resent: a delayed copy of a v2 write is applied whenever it
     * arrives, even after writes that completed later. Such a failure leaves its outcome unknown,
     * and says so.
     */
    WRITE,
    /**
     * A watch's long poll. Silence until its deadline is normal (nothing changed); the watch loop,
     * not the client, decides where to poll next.
     */
    LONG_POLL
  }

  private static final String QUORUM = Query.of().flag("quorum").toString();

  /** A plain read of one node (get, exists), the query made once rather than per request. */
  public static KeysRequest read(String operation, KeyPath key, boolean quorum) {
    return new KeysRequest("GET", operation, key, quorum ? QUORUM : "", null, Kind.READ, false);
  }

  public static KeysRequest get(String operation, KeyPath key, Query query) {
    return new KeysRequest("GET", operation, key, query.toString(), null, Kind.READ, false);
  }

  /**
   * A recursive, sorted read of a directory whose answer is decoded flat, into {@link
   * EtcdResponse#entries}.
   */
  public static KeysRequest list(String operation, KeyPath directory, boolean quorum) {
    Query query = Query.of().flag("recursive").flag("sorted").flag("quorum", quorum);
    return new KeysRequest("GET", operation, directory, query.toString(), null, Kind.READ, true);
  }

  /**
   * A watch's long poll from {@code waitIndex}. Never a quorum read: etcd turns {@code
   * quorum=true&wait=true} into a plain read.
   */
  public static KeysRequest poll(String operation, KeyPath key, boolean recursive, long waitIndex) {
    Query query = Query.of().flag("wait").flag("recursive", recursive).add("waitIndex", waitIndex);
    return new KeysRequest("GET", operation, key, query.toString(), null, Kind.LONG_POLL, false);
  }

  /**
   * A write whose parameters and value all travel in the form body (etcd reads both from its form),
   * so that the request cannot take effect until its body is sent: with {@code Expect:
   * 100-continue} the body goes only to a member that asked for it, and a member that froze before
   * asking can never apply the write later (see {@link #expectsContinue()}).
   */
  public static KeysRequest put(
      String operation, KeyPath key, Query query, byte @Nullable [] value) {
    return new KeysRequest("PUT", operation, key, "", formBody(query, value), Kind.WRITE, false);
  }

  private static byte[] formBody(Query query, byte @Nullable [] value) {
    String parameters = query.toString();
    byte[] head =
        (parameters.isEmpty() ? "" : parameters.substring(1)).getBytes(StandardCharsets.US_ASCII);
    if (value == null) {
      return head;
    }
    byte[] field = PercentEncoding.formField("value", value);
    if (head.length == 0) {
      return field;
    }
    byte[] body = new byte[head.length + 1 + field.length];
    System.arraycopy(head, 0, body, 0, head.length);
    body[head.length] = '&';
    System.arraycopy(field, 0, body, head.length + 1, field.length);
    return body;
  }

  public static KeysRequest delete(String operation, KeyPath key, Query query) {
    return new KeysRequest("DELETE", operation, key, query.toString(), null, Kind.WRITE, false);
  }

  /**
   * Whether the body waits for the member's {@code 100 Continue}. etcd reads a PUT's form before
   * anything else, which is when Go's server asks for the body; a PUT whose body was never sent
   * fails to parse and is not applied. So while the member has not asked, nothing it could apply
   * was sent, and the write may still go to another member. A DELETE has no form body and takes
   * effect with its head alone.
   */
  public boolean expectsContinue() {
    return method.equals("PUT") && body != null && body.length > 0;
  }

  /** Whether this request changes anything, so that a failure may leave it half-known. */
  public boolean isWrite() {
    return kind == Kind.WRITE;
  }

  /** The size of the form body, to check it against etcd's 10 MiB cap before sending. */
  public int bodySize() {
    return body == null ? 0 : body.length;
  }

  @Override
  public String toString() {
    return method
        + " "
        + key.path()
        + query
        + (body == null
            ? ""
            : " ("
                + new String(body, 0, Math.min(body.length, 32), StandardCharsets.US_ASCII)
                + (body.length > 32 ? "..." : "")
                + ")");
  }
}
