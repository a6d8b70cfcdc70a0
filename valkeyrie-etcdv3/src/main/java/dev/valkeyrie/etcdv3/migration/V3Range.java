package dev.valkeyrie.etcdv3.migration;

import java.util.List;

/**
 * Keys read at one revision, sorted by their bytes.
 *
 * @param revision the store revision the keys were read at
 */
public record V3Range(long revision, List<V3Entry> entries) {

  public V3Range {
    entries = List.copyOf(entries);
  }
}
