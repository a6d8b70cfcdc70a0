package dev.valkeyrie.benchmarks.v3;

import java.nio.charset.StandardCharsets;

/** The v3 workloads: every transport sends the same request on the wire for each. */
public enum V3Workload {
  /** {@code Range{key: probe/get, serializable: true}}: answered by the member locally. */
  GET_SERIALIZABLE("GET serializable"),
  /** {@code Range{key: probe/get}}: linearizable, through a raft read index. */
  GET_LINEARIZABLE("GET linearizable"),
  /** {@code Put{key: probe/put, value: 100 bytes}}. */
  PUT_100B("PUT 100 B");

  /** The key the GET workloads read; it holds {@link #VALUE}. */
  public static final String GET_KEY = "probe/get";

  /** The key the PUT workload writes. */
  public static final String PUT_KEY = "probe/put";

  /** 100 ASCII bytes: the value written by PUT and read by the GETs. */
  public static final byte[] VALUE = "v".repeat(100).getBytes(StandardCharsets.US_ASCII);

  private final String label;

  V3Workload(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
