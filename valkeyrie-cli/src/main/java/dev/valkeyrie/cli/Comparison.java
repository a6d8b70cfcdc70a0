package dev.valkeyrie.cli;

import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.KeyModifiedException;
import dev.valkeyrie.store.Store;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The condition of {@code cad}, and of {@code cas} with {@link CasCondition}: one of {@code
 * --prev-index N} and {@code --prev-value V} (picocli's exclusive argument group). The store
 * compares on the index only; a value is compared here, on a fresh read, and the swap then compares
 * on that read's index, so a write between the read and the swap still makes it fail.
 */
class Comparison {

  @Option(
      names = "--prev-index",
      paramLabel = "N",
      description = "Only if KEY was last modified at index N (see get -o json).")
  @Nullable Long prevIndex;

  @Option(
      names = "--prev-value",
      paramLabel = "V",
      description = "Only if KEY holds V (read, compared, then swapped on the index read).")
  @Nullable String prevValue;

  /**
   * @throws UsageException for an index below 1
   */
  void check() {
    if (prevIndex != null && prevIndex < 1) {
      throw new UsageException("--prev-index must be 1 or more, was " + prevIndex);
    }
  }

  /**
   * The pair to hand to {@code atomicPut} or {@code atomicDelete}.
   *
   * @throws KeyModifiedException if KEY does not hold {@code --prev-value}
   * @throws dev.valkeyrie.store.KeyNotFoundException if KEY does not exist (value comparison)
   */
  KVPair previous(Store store, String key) {
    if (prevIndex != null) {
      return new KVPair(key, new byte[0], prevIndex);
    }
    // The group is exclusive and required: without --prev-index, --prev-value was given.
    String expected = Objects.requireNonNull(prevValue, "prevValue");
    KVPair current = store.get(key);
    if (!Arrays.equals(current.value(), expected.getBytes(StandardCharsets.UTF_8))) {
      throw new KeyModifiedException(
          "key '"
              + current.key()
              + "' does not hold the value given"
              + " with --prev-value (compare failed at index "
              + current.lastIndex()
              + ")");
    }
    return current;
  }
}
