package dev.valkeyrie.benchmarks;

/** A workload of a throughput table: the v2 {@link Workload}s and the v3 ones. */
public interface LoadWorkload {

  /** The row's name in the table and the chart panel's title. */
  String label();
}
