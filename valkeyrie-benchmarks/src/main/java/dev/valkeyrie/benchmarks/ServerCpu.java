package dev.valkeyrie.benchmarks;

import java.time.Duration;

/**
 * The CPU time etcd has used so far, read from the operating system. Over a measured window it
 * shows what each client makes the server spend per request: a client that answers slowly leaves
 * etcd idling between requests, and an idle Go runtime costs CPU to wake up again.
 */
@FunctionalInterface
public interface ServerCpu {

  /** Not measured: every reading is -1 (unknown). */
  ServerCpu NONE = () -> -1;

  /** CPU nanoseconds used so far, or -1 when unknown. */
  long nanos();

  /** The process {@code pid} (user and system time; Linux counts it in 10 ms ticks). */
  static ServerCpu ofProcess(long pid) {
    return () ->
        ProcessHandle.of(pid)
            .flatMap(process -> process.info().totalCpuDuration())
            .map(Duration::toNanos)
            .orElse(-1L);
  }

  /** Microseconds per operation between two readings, -1 when unknown. */
  static double microsPerOp(long before, long after, long operations) {
    return before < 0 || after < 0 || operations == 0 ? -1 : (after - before) / 1000.0 / operations;
  }
}
