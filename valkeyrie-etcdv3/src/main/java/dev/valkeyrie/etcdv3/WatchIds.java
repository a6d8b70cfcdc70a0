package dev.valkeyrie.etcdv3;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Watch ID to registration, for dispatching each watch response in O(1) without boxing the ID: open
 * addressing with linear probing over positive {@code long} keys (0 marks a free slot, and is never
 * a watch ID of ours: pitfall 17). Not thread-safe: the watch stream's serial executor owns it.
 *
 * @param <V> the registration type
 */
final class WatchIds<V> {
  private long[] keys = new long[16];
  private @Nullable Object[] values = new Object[16];
  private int size;

  int size() {
    return size;
  }

  @SuppressWarnings("unchecked")
  @Nullable V get(long id) {
    long[] k = keys;
    int mask = k.length - 1;
    for (int i = slot(id, mask); ; i = (i + 1) & mask) {
      long found = k[i];
      if (found == id) {
        return (V) values[i];
      }
      if (found == 0) {
        return null;
      }
    }
  }

  void put(long id, V value) {
    if (id <= 0) {
      throw new IllegalArgumentException("watch IDs are positive: " + id);
    }
    if ((size + 1) * 2 > keys.length) {
      grow();
    }
    int mask = keys.length - 1;
    for (int i = slot(id, mask); ; i = (i + 1) & mask) {
      if (keys[i] == id) {
        values[i] = value;
        return;
      }
      if (keys[i] == 0) {
        keys[i] = id;
        values[i] = value;
        size++;
        return;
      }
    }
  }

  /** Removes {@code id}; returns what it mapped to, or {@code null}. */
  @SuppressWarnings("unchecked")
  @Nullable V remove(long id) {
    int mask = keys.length - 1;
    int i = slot(id, mask);
    while (keys[i] != id) {
      if (keys[i] == 0) {
        return null;
      }
      i = (i + 1) & mask;
    }
    V removed = (V) values[i];
    // Backward-shift deletion: move later entries of the probe run into the gap.
    int gap = i;
    for (int j = (gap + 1) & mask; keys[j] != 0; j = (j + 1) & mask) {
      int home = slot(keys[j], mask);
      // Move keys[j] into the gap unless its home lies cyclically in (gap, j].
      boolean stays = gap <= j ? gap < home && home <= j : gap < home || home <= j;
      if (!stays) {
        keys[gap] = keys[j];
        values[gap] = values[j];
        gap = j;
      }
    }
    keys[gap] = 0;
    values[gap] = null;
    size--;
    return removed;
  }

  void clear() {
    Arrays.fill(keys, 0);
    Arrays.fill(values, null);
    size = 0;
  }

  private void grow() {
    long[] oldKeys = keys;
    @Nullable Object[] oldValues = values;
    keys = new long[oldKeys.length * 2];
    values = new Object[oldKeys.length * 2];
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != 0) {
        @SuppressWarnings("unchecked")
        V value = (V) oldValues[i];
        put(oldKeys[i], value);
      }
    }
  }

  private static int slot(long id, int mask) {
    long h = id * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }
}
