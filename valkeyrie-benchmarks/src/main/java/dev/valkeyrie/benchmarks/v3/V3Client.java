package dev.valkeyrie.benchmarks.v3;

/** A Java v3 client under test: one blocking call per request, called from many threads at once. */
interface V3Client extends AutoCloseable {

  /** The name in the result table. */
  String name();

  /**
   * Sends one request of {@code workload} and waits for its answer.
   *
   * @throws Exception when the request failed; counted as an error
   */
  void call(V3Load workload) throws Exception;

  @Override
  void close();
}
