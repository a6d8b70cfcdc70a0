package dev.valkeyrie.migrate;

import java.util.ArrayList;
import java.util.List;

/**
 * A set of v3 revisions as sorted, disjoint ranges: the revisions of the transactions a migration
 * wrote while following. Consecutive revisions (nobody else writing v3 meanwhile) make one range,
 * so the set stays small.
 */
final class Revisions {
  private final List<long[]> ranges = new ArrayList<>();

  static Revisions parse(String text) {
    Revisions revisions = new Revisions();
    if (text.isBlank()) {
      return revisions;
    }
    for (String part : text.split(",", -1)) {
      int dash = part.indexOf('-');
      long from = Long.parseLong(dash < 0 ? part : part.substring(0, dash));
      long to = dash < 0 ? from : Long.parseLong(part.substring(dash + 1));
      revisions.ranges.add(new long[] {from, to});
    }
    return revisions;
  }

  /** Adds a revision above every one held (revisions only grow). */
  void add(long revision) {
    if (!ranges.isEmpty()) {
      long[] last = ranges.get(ranges.size() - 1);
      if (revision <= last[1]) {
        return;
      }
      if (revision == last[1] + 1) {
        last[1] = revision;
        return;
      }
    }
    ranges.add(new long[] {revision, revision});
  }

  boolean contains(long revision) {
    int low = 0;
    int high = ranges.size() - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      long[] range = ranges.get(mid);
      if (revision < range[0]) {
        high = mid - 1;
      } else if (revision > range[1]) {
        low = mid + 1;
      } else {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    for (long[] range : ranges) {
      if (text.length() > 0) {
        text.append(',');
      }
      text.append(range[0]);
      if (range[1] != range[0]) {
        text.append('-').append(range[1]);
      }
    }
    return text.toString();
  }
}
