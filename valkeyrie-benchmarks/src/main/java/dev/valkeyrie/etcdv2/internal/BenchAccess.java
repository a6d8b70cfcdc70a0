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

  /** What {@code list()} does with a parsed recursive answer. */
  public static List<KVPair> flatten(EtcdNode directory) {
    return Listing.sorted(directory);
  }

  /** What {@code get()} makes of a parsed answer. */
  public static KVPair pair(String key, EtcdNode node) {
    return Listing.pair(key, node);
  }
}
