package dev.valkeyrie.etcdv2;

/**
 * A complete HTTP response.
 *
 * @param status the status code
 * @param contentType the Content-Type header, or {@code ""}
 * @param etcdIndex the {@code X-Etcd-Index} header, or -1 when absent
 * @param body the whole body (etcd's answers are small, and a watch answers with one event)
 */
// Bodies are handed through without copies (values can be MiB); these records are never
// compared or hashed, so the array component's identity equality matters nowhere.
@SuppressWarnings("ArrayRecordComponent")
record HttpResult(int status, String contentType, long etcdIndex, byte[] body) {

  public boolean isJson() {
    return contentType.startsWith("application/json");
  }
}
