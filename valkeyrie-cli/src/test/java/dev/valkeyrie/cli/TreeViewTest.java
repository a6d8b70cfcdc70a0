package dev.valkeyrie.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.valkeyrie.store.KVPair;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TreeViewTest {
  private static KVPair pair(String key, String value, long index) {
    return new KVPair(key, value.getBytes(StandardCharsets.UTF_8), index);
  }

  private static final List<KVPair> APP =
      List.of(
          pair("app/config", "", 4),
          pair("app/config/greeting", "hello", 4),
          pair("app/jobs", "", 9),
          pair("app/services", "", 5),
          pair("app/services/web", "", 5),
          pair("app/services/web/1", "10.0.0.1:8080", 5),
          pair("app/services/web/2", "10.0.0.2:8080", 6));

  @Test
  void drawsATreeWithDirectoriesEndingInSlash() {
    assertThat(TreeView.tree("/app/", APP))
        .containsExactly(
            "app/",
            "├── config/",
            "│   └── greeting = hello",
            "├── jobs",
            "└── services/",
            "    └── web/",
            "        ├── 1 = 10.0.0.1:8080",
            "        └── 2 = 10.0.0.2:8080");
  }

  @Test
  void theRootIsShownAsSlash() {
    assertThat(
            TreeView.tree("/", List.of(pair("a", "1", 1), pair("b", "", 2), pair("b/c", "2", 2))))
        .containsExactly("/", "├── a = 1", "└── b/", "    └── c = 2");
  }

  @Test
  void flatGivesFullKeys() {
    assertThat(TreeView.flat(APP))
        .containsExactly(
            "app/config/",
            "app/config/greeting = hello",
            "app/jobs",
            "app/services/",
            "app/services/web/",
            "app/services/web/1 = 10.0.0.1:8080",
            "app/services/web/2 = 10.0.0.2:8080");
  }

  @Test
  void valuesStayOnOneLineAndLongOnesAreCutInTheTreeOnly() {
    String longValue = "x".repeat(100);
    List<KVPair> entries = List.of(pair("d/multi", "a\nb\tc", 1), pair("d/long", longValue, 2));

    assertThat(TreeView.tree("d", entries))
        .contains("├── multi = a\\nb\\tc", "└── long = " + "x".repeat(TreeView.MAX_VALUE) + "...");
    assertThat(TreeView.flat(entries)).contains("d/long = " + longValue);
  }

  @Test
  void aKeyWithAValueAndKeysBelowItShowsBoth() {
    // etcd v3's flat key space: only keys that exist are listed, and "d/web" has keys below it.
    List<KVPair> entries =
        List.of(pair("d/web", "pool", 3), pair("d/web/1", "a", 4), pair("d/web/2", "b", 5));

    assertThat(TreeView.tree("d", entries))
        .containsExactly("d/", "└── web/ = pool", "    ├── 1 = a", "    └── 2 = b");
    assertThat(TreeView.flat(entries))
        .containsExactly("d/web/ = pool", "d/web/1 = a", "d/web/2 = b");
  }

  @Test
  void anEmptyListingPrintsNothing() {
    assertThat(TreeView.tree("app", List.of())).isEmpty();
    assertThat(TreeView.flat(List.of())).isEmpty();
  }
}
