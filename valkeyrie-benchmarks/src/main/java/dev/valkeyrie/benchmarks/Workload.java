package dev.valkeyrie.benchmarks;

import java.nio.charset.StandardCharsets;

/**
 * The end-to-end workloads. Every client (valkeyrie-java, etcd4j, wrk) sends the same request on
 * the wire for a workload, so the ratios compare client cost only.
 */
public enum Workload implements LoadWorkload {
  /** A plain (non-quorum) read of one small key: {@code GET /v2/keys/bench/one}. */
  GET_ONE("GET one key", "GET", "bench/one", ""),
  /** A linearizable read: {@code GET /v2/keys/bench/one?quorum=true}. */
  GET_QUORUM("GET quorum=true", "GET", "bench/one", "?quorum=true"),
  /** A write of a 100-byte value to one key: {@code PUT /v2/keys/bench/put}, form body. */
  PUT_100B("PUT 100 B", "PUT", "bench/put", ""),
  /**
   * A recursive, sorted listing of a directory of 1,000 keys, as {@code Store.list} sends it
   * (non-quorum here, like the others): {@code GET /v2/keys/bench/list?recursive=true&sorted=true}.
   */
  LIST_1000("recursive GET, 1,000 children", "GET", "bench/list", "?recursive=true&sorted=true");

  /** The value written by {@link #PUT_100B}: 100 ASCII bytes, so the form body needs no escapes. */
  public static final String PUT_VALUE = "v".repeat(100);

  /** The value of the key read by the GET workloads. */
  public static final String GET_VALUE = "hello, etcd: a small value of about forty bytes";

  /** Children of the listed directory. */
  public static final int LIST_CHILDREN = 1000;

  private final String label;
  private final String method;
  private final String key;
  private final String query;

  Workload(String label, String method, String key, String query) {
    this.label = label;
    this.method = method;
    this.key = key;
    this.query = query;
  }

  @Override
  public String label() {
    return label;
  }

  public String method() {
    return method;
  }

  public String key() {
    return key;
  }

  /** The query string with its {@code ?}, or {@code ""}. */
  public String query() {
    return query;
  }

  /** The path and query wrk requests. */
  public String pathAndQuery() {
    return "/v2/keys/" + key + query;
  }

  /** The form body of a write, or {@code null}. */
  public byte[] formBody() {
    return method.equals("PUT") ? ("value=" + PUT_VALUE).getBytes(StandardCharsets.US_ASCII) : null;
  }

  /** The child key {@code i} of the listed directory. */
  public static String listChild(int i) {
    return String.format("bench/list/item-%04d", i);
  }

  /** The value of child {@code i}: about 40 bytes. */
  public static String listValue(int i) {
    return String.format("value of list item %04d, some padding", i);
  }
}
