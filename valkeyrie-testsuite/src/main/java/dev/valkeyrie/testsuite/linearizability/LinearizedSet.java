package dev.valkeyrie.testsuite.linearizability;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The set of operations the search has linearized so far, and Lowe's cache of the (set, state)
 * configurations it has already reached.
 *
 * <p>A cache entry keeps only the words of the set between its leading run of all-linearized
 * words and its last non-empty word: operations are numbered in invocation order and the search
 * linearizes them roughly in that order, so the set is nearly always "everything up to about here
 * plus a few", and an entry takes a word or two whatever the history's length.
 */
final class LinearizedSet {

  private final long[] words;
  private final long[] zobrist;
  private long hash;
  private int low; // words[0..low) are all ones
  private int high; // words[high..] are all zeros
  private final Set<Config> seen = new HashSet<>();

  LinearizedSet(int size) {
    words = new long[(size + 63) >>> 6];
    zobrist = new SplittableRandom(size).longs(size).toArray();
  }

  void add(int op) {
    int word = op >>> 6;
    words[word] |= 1L << op;
    hash ^= zobrist[op];
    high = Math.max(high, word + 1);
    while (low < words.length && words[low] == -1L) {
      low++;
    }
  }

  void remove(int op) {
    int word = op >>> 6;
    words[word] &= ~(1L << op);
    hash ^= zobrist[op];
    low = Math.min(low, word);
    while (high > low && words[high - 1] == 0) {
      high--;
    }
  }

  boolean contains(int op) {
    return (words[op >>> 6] & (1L << op)) != 0;
  }

  /**
   * Records the configuration of this set with {@code state} (and whether the last operation
   * linearized had an unknown outcome, which decides what the search may place next).
   *
   * @return {@code false} if it was seen before: nothing new can be found from it
   */
  boolean markSeen(int state, boolean afterUnknown) {
    return seen.add(new Config(low, Arrays.copyOfRange(words, low, high), state, afterUnknown,
        hash * 31 + state * 2 + (afterUnknown ? 1 : 0)));
  }

  private record Config(int low, long[] middle, int state, boolean afterUnknown, long hash) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Config other && hash == other.hash && low == other.low
          && state == other.state && afterUnknown == other.afterUnknown
          && Arrays.equals(middle, other.middle);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(hash);
    }
  }
}
