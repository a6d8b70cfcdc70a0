package dev.valkeyrie.benchmarks.v3;

import dev.valkeyrie.benchmarks.LoadWorkload;
import java.nio.charset.StandardCharsets;

/**
 * The workloads of the v3 speed table (issue 14). Every client sends the same request on the wire
 * for each, so the ratios compare client cost only.
 */
public enum V3Load implements LoadWorkload {
  /** {@code Range{key: bench/one, serializable: true}}: answered by the member locally. */
  GET_SERIALIZABLE("GET serializable", "get-serializable"),
  /** {@code Range{key: bench/one}}: linearizable, through a raft read index. */
  GET_LINEARIZABLE("GET linearizable", "get-linearizable"),
  /** {@code Put{key: bench/put, value: 100 bytes}}. */
  PUT_100B("PUT 100 B", "put"),
  /**
   * {@code Range{key: bench/list/, range_end: bench/list0, serializable: true}} of 1,000 keys: what
   * {@code Store.list("bench/list", consistent(false))} reads (in pages, if its page is smaller).
   */
  RANGE_1000("range of 1,000 keys", "range");

  /** The key the GET workloads read; it holds {@link #VALUE}. */
  public static final String GET_KEY = "bench/one";

  /** The key the PUT workload writes. */
  public static final String PUT_KEY = "bench/put";

  /** The directory the range workload lists (keys {@code bench/list/item-NNNN}). */
  public static final String LIST_DIR = "bench/list";

  /** Keys in {@link #LIST_DIR}. */
  public static final int LIST_KEYS = 1000;

  /** 100 ASCII bytes: the value written by PUT and read by the GETs. */
  public static final byte[] VALUE = "v".repeat(100).getBytes(StandardCharsets.US_ASCII);

  private final String label;
  private final String goName;

  V3Load(String label, String goName) {
    this.label = label;
    this.goName = goName;
  }

  @Override
  public String label() {
    return label;
  }

  /** The workload's name for the Go load generator's {@code -workload}. */
  String goName() {
    return goName;
  }

  /** Key {@code i} of the listed directory. */
  public static String listKey(int i) {
    return String.format("%s/item-%04d", LIST_DIR, i);
  }

  /** The value of list key {@code i}: about 40 bytes. */
  public static byte[] listValue(int i) {
    return String.format("value of list item %04d, some padding", i)
        .getBytes(StandardCharsets.US_ASCII);
  }
}
