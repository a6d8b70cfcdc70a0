package dev.valkeyrie.testsuite;

import dev.valkeyrie.store.KVPair;
import java.util.List;

/** Views of a listing that compare by key and value only (not by index). */
public final class Listings {

  private Listings() {}

  /** One entry of a listing: its key and its value decoded as UTF-8. */
  public record Entry(String key, String value) {
    @Override
    public String toString() {
      return key + "=" + value;
    }
  }

  /** The keys, in listing order. */
  public static List<String> keys(List<KVPair> pairs) {
    return pairs.stream().map(KVPair::key).toList();
  }

  /** The keys and values, in listing order. */
  public static List<Entry> entries(List<KVPair> pairs) {
    return pairs.stream().map(pair -> new Entry(pair.key(), pair.valueAsString())).toList();
  }
}
