package dev.valkeyrie.testsuite.linearizability;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * The set of operations the search has linearized so far, and Lowe's cache of the configurations
 * (set, state, and the state before the last operation if it was unknown) it has reached.
 *
 * <p>The set is kept as a 128-bit Zobrist fingerprint (a random number per operation, the
 * fingerprint the exclusive or of those in the set), updated in constant time, and the cache stores
 * fingerprints, so an entry is a few dozen bytes however long the history. Operations with unknown
 * outcome may stay out of the set forever, so the set is not a prefix plus a few, and a bitset per
 * entry would grow with the history. Two different configurations share a fingerprint with
 * probability about {@code n² / 2^129} for {@code n} entries (below {@code 10^-24} for ten
 * million): the search would then skip one as already tried, which could only make it miss a
 * linearization, never invent one.
 */
final class LinearizedSet {

  private final long[] low;
  private final long[] high;
  private long lowHash;
  private long highHash;
  private final Map<Config, Config> seen = new HashMap<>();

  /** A configuration reached; {@link #failed} once everything reachable from it was tried. */
  static final class Config {
    private final long lowHash;
    private final long highHash;
    private final int state;
    private final int before;
    boolean failed;

    private Config(long lowHash, long highHash, int state, int before) {
      this.lowHash = lowHash;
      this.highHash = highHash;
      this.state = state;
      this.before = before;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Config other
          && lowHash == other.lowHash
          && highHash == other.highHash
          && state == other.state
          && before == other.before;
    }

    @Override
    public int hashCode() {
      return Long.hashCode(lowHash) * 31 + state * 7 + before;
    }
  }

  LinearizedSet(int size) {
    SplittableRandom random = new SplittableRandom(0x5eed_0f_11e5L ^ size);
    low = random.longs(size).toArray();
    high = random.longs(size).toArray();
  }

  /** Adds an operation not in the set, or removes one that is. */
  void flip(int op) {
    lowHash ^= low[op];
    highHash ^= high[op];
  }

  /**
   * Records the configuration of this set with {@code state} and {@code before}.
   *
   * @return the new entry, or {@code null} if it was seen before: nothing new can be found there
   */
  @Nullable Config markSeen(int state, int before) {
    Config config = new Config(lowHash, highHash, state, before);
    return seen.putIfAbsent(config, config) == null ? config : null;
  }

  /**
   * Whether this set without {@code ops[0..count)}, with {@code state} and either {@code before} or
   * {@code unrestricted} (nothing restricts what comes next), is a configuration already tried to
   * the end: then this one, which has the same choices and fewer of them, fails too.
   */
  boolean failedWithout(int[] ops, int count, int state, int before, int unrestricted) {
    long lowWithout = lowHash;
    long highWithout = highHash;
    for (int i = 0; i < count; i++) {
      lowWithout ^= low[ops[i]];
      highWithout ^= high[ops[i]];
    }
    Config same = seen.get(new Config(lowWithout, highWithout, state, before));
    if (same != null && same.failed) {
      return true;
    }
    Config free =
        before == unrestricted
            ? null
            : seen.get(new Config(lowWithout, highWithout, state, unrestricted));
    return free != null && free.failed;
  }
}
