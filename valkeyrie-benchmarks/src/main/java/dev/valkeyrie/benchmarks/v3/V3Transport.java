package dev.valkeyrie.benchmarks.v3;

import java.time.Duration;
import java.util.List;
import java.util.function.IntConsumer;

/** A Java etcd v3 client under test: blocking calls from many threads, and watches. */
interface V3Transport extends AutoCloseable {

  /** The name in the result table. */
  String name();

  /**
   * Sends one request of {@code workload} and waits for its answer (with a deadline).
   *
   * @throws Exception when it failed; counted as an error
   */
  void call(V3Workload workload) throws Exception;

  /**
   * Opens one watch per key, each from {@code startRevision}, and returns once etcd has confirmed
   * every one of them.
   *
   * @param onPut called with the key's index for every PUT event on it, on the client's threads
   * @throws java.util.concurrent.TimeoutException if they were not all created within {@code
   *     timeout}
   */
  Watches watchEach(List<String> keys, long startRevision, IntConsumer onPut, Duration timeout)
      throws Exception;

  @Override
  void close();

  /** Open watches; closing them cancels them all. */
  interface Watches extends AutoCloseable {
    @Override
    void close();
  }
}
