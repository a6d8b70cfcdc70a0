package dev.valkeyrie.etcdv3;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The watch ID table of the watch stream, against a HashMap. */
class WatchIdsTest {

  @Test
  void randomPutsAndRemovesMatchAHashMap() {
    Random random = new Random(7);
    WatchIds<String> ids = new WatchIds<>();
    Map<Long, String> model = new HashMap<>();
    long next = 1;
    for (int i = 0; i < 200_000; i++) {
      if (random.nextInt(3) == 0 && !model.isEmpty()) {
        long id = 1L + random.nextInt((int) next);
        assertThat(ids.remove(id)).isEqualTo(model.remove(id));
      } else {
        long id = next++;
        ids.put(id, "w" + id);
        model.put(id, "w" + id);
      }
      if (i % 10_000 == 0) {
        for (long id = 1; id < next; id++) {
          assertThat(ids.get(id)).isEqualTo(model.get(id));
        }
      }
    }
    assertThat(ids.size()).isEqualTo(model.size());
  }

  @Test
  void clearForgetsEveryId() {
    WatchIds<String> ids = new WatchIds<>();
    for (long id = 1; id <= 100; id++) {
      ids.put(id, "w");
    }
    ids.clear();
    assertThat(ids.size()).isZero();
    assertThat(ids.get(50)).isNull();
  }
}
