package dev.valkeyrie.benchmarks;

/** A Java client under test: one blocking call per request, called from many threads at once. */
public interface BlockingClient extends AutoCloseable {

  /** The name in the result table. */
  String name();

  /**
   * Sends one request of {@code workload} and waits for its answer.
   *
   * @throws Exception when the request failed; counted as an error
   */
  void call(Workload workload) throws Exception;

  @Override
  void close();
}
