package dev.valkeyrie.etcdv2.internal;

import dev.valkeyrie.store.KVPair;
import java.io.IOException;
import java.util.List;

/**
 * The backend's package-private codecs, opened to the benchmarks (which share the package on the
 * class path, never in the backend's jar).
 */
public final class BenchAccess {
  private BenchAccess() {}

  /** {@code EtcdJson.response}: a keys API answer. */
  public static EtcdResponse parse(byte[] body, long etcdIndex) throws IOException {
    return EtcdJson.response(body, etcdIndex);
  }

  /** {@code PercentEncoding.formField}: a form body. */
  public static byte[] formField(String name, byte[] value) {
    return PercentEncoding.formField(name, value);
  }

  /** All of {@code list()}'s client-side work on a recursive answer: decode flat, sort. */
  public static List<KVPair> list(byte[] body, long etcdIndex) throws IOException {
    return Listing.sorted(EtcdJson.listing(body, etcdIndex).entries());
  }

  /** What {@code get()} makes of a parsed answer. */
  public static KVPair pair(String key, EtcdNode node) {
    return Listing.pair(key, node);
  }
}
