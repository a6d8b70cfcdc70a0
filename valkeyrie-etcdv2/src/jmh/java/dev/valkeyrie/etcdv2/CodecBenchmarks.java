package dev.valkeyrie.etcdv2;

import dev.valkeyrie.store.KVPair;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Micro-costs of the backend's request path, without the network: key encoding, query and form
 * encoding, and JSON decoding of a get answer and of a 1,000-child recursive listing (as etcd sends
 * them). In the backend's package, under src/jmh, to reach its package-private codecs; packaged
 * apart (the {@code jmh} jar) for the benchmark module's JMH run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CodecBenchmarks {

  private static final String KEY = "app/config/service name/ключ+%";
  private byte[] plainValue;
  private byte[] jsonValue;
  private byte[] getAnswer;
  private byte[] listAnswer;

  @Setup
  public void setUp() {
    plainValue = "v".repeat(100).getBytes(StandardCharsets.UTF_8);
    jsonValue =
        ("{\"host\":\"10.0.0.17\",\"port\":8080,\"tags\":[\"a b\",\"c+d\"],\"weight\":0.75,"
                + "\"note\":\"ünïcödé\"}")
            .getBytes(StandardCharsets.UTF_8);
    getAnswer =
        ("{\"action\":\"get\",\"node\":{\"key\":\"/bench/one\",\"value\":"
                + "\"hello, etcd: a small value of about forty bytes\",\"modifiedIndex\":4242,"
                + "\"createdIndex\":4242}}\n")
            .getBytes(StandardCharsets.UTF_8);
    StringBuilder list =
        new StringBuilder(
            "{\"action\":\"get\",\"node\":{\"key\":\"/bench/list\",\"dir\":true,\"nodes\":[");
    for (int i = 0; i < 1000; i++) {
      if (i > 0) {
        list.append(',');
      }
      int index = 5000 + i;
      list.append(
          String.format(
              "{\"key\":\"/bench/list/item-%04d\",\"value\":\"value of list item"
                  + " %04d, some padding\",\"modifiedIndex\":%d,\"createdIndex\":%d}",
              i, i, index, index));
    }
    list.append("],\"modifiedIndex\":4999,\"createdIndex\":4999}}\n");
    listAnswer = list.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Validating and percent-encoding a key with a space, Cyrillic, {@code +} and {@code %}. */
  @Benchmark
  public String keyEncoding() {
    return KeyPath.of(KEY).path();
  }

  /** The query of a recursive, sorted, quorum listing. */
  @Benchmark
  public String queryEncoding() {
    return Query.of().flag("recursive").flag("sorted").flag("quorum").toString();
  }

  /** The form body of a 100-byte value that needs no escapes. */
  @Benchmark
  public byte[] formEncodingPlain100() {
    return PercentEncoding.formField("value", plainValue);
  }

  /** The form body of a 100-byte JSON value (quotes, braces, spaces, non-ASCII). */
  @Benchmark
  public byte[] formEncodingJson100() {
    return PercentEncoding.formField("value", jsonValue);
  }

  /** Decoding a get answer into a node, and the pair {@code get()} returns. */
  @Benchmark
  public KVPair parseGet() throws IOException {
    EtcdResponse response = EtcdJson.response(getAnswer, 4242);
    return Listing.pair("bench/one", response.node());
  }

  /**
   * Decoding a 1,000-child recursive answer (about 95 KB) into nodes, the tree form of every other
   * answer.
   */
  @Benchmark
  public Object parseList1000() throws IOException { // Object: EtcdResponse is not exported

    return EtcdJson.response(listAnswer, 6000);
  }

  /** All of {@code list()}'s client-side work on that answer: decode flat, sort. */
  @Benchmark
  public List<KVPair> list1000() throws IOException {
    return Listing.sorted(EtcdJson.listing(listAnswer, 6000).entries());
  }
}
