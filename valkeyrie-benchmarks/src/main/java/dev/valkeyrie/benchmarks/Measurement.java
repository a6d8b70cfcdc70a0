package dev.valkeyrie.benchmarks;

/**
 * One measured cell: a client on a workload at a concurrency.
 *
 * @param opsPerSecond completed requests per second in the measured window
 * @param p50Micros median latency, microseconds
 * @param p99Micros 99th percentile latency, microseconds
 * @param operations requests completed in the measured window
 * @param errors failed requests (exceptions, or non-2xx answers for wrk)
 * @param cpuMicrosPerOp the client process's CPU time per request (Java clients), -1 if unknown
 * @param serverCpuMicrosPerOp etcd's CPU time per request in the same window, -1 if unknown
 */
public record Measurement(
    String client,
    LoadWorkload workload,
    int concurrency,
    double opsPerSecond,
    double p50Micros,
    double p99Micros,
    long operations,
    long errors,
    double cpuMicrosPerOp,
    double serverCpuMicrosPerOp) {

  public boolean isValid() {
    return operations > 0 && opsPerSecond > 0 && p50Micros > 0 && p99Micros > 0;
  }
}
