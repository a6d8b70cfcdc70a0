package dev.valkeyrie.migrate;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.valkeyrie.store.Store;
import dev.valkeyrie.store.WriteOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** The v2 trees the migration tests move: every kind of node and value the v2 backend accepts. */
final class Trees {
  private static final AtomicInteger NEXT = new AtomicInteger();

  private Trees() {}

  /** A prefix no other test uses. */
  static String prefix(String name) {
    return "mig-" + name + "-" + NEXT.incrementAndGet();
  }

  static WriteOptions ttl(Duration ttl) {
    return WriteOptions.builder().ttl(ttl).build();
  }

  static WriteOptions dir() {
    return WriteOptions.builder().isDir(true).build();
  }

  /** Keys with characters that need care in a URL, a form or a v3 range. */
  static List<String> unusualNames() {
    return List.of(
        "with space",
        "per%cent",
        "a%2Fliteral",
        "q?uery",
        "h#ash",
        "pl+us",
        "and&amp",
        "équipe",
        "日本語",
        "emoji-🚀",
        "dots.in.name",
        "trailing-dash-");
  }

  /**
   * Writes, below {@code prefix}: nested directories with keys, empty directories (one nested in
   * another), keys with a TTL (long enough to outlive the test), values of every kind (empty,
   * multi-byte UTF-8, newlines, 512 KiB), and keys with unusual characters.
   */
  static List<String> writeMixed(Store v2, String prefix) {
    List<String> keys = new ArrayList<>();
    put(v2, keys, prefix + "/config/greeting", "hello");
    put(v2, keys, prefix + "/config/nested/deeper/leaf", "deep");
    put(v2, keys, prefix + "/config/empty-value", "");
    put(v2, keys, prefix + "/values/utf8", "grüße, 你好, 🚀");
    put(v2, keys, prefix + "/values/lines", "line 1\nline 2\r\n\ttabbed");
    put(v2, keys, prefix + "/values/json", "{\"a\": [1, 2, \"three\"], \"b\": null}");
    put(v2, keys, prefix + "/values/large", "x".repeat(512 * 1024));
    v2.put(prefix + "/empty", null, dir());
    v2.put(prefix + "/outer/inner-empty", null, dir());
    v2.put(prefix + "/ttl/session-1", "alive".getBytes(UTF_8), ttl(Duration.ofMinutes(10)));
    v2.put(prefix + "/ttl/session-2", "alive too".getBytes(UTF_8), ttl(Duration.ofMinutes(20)));
    for (String name : unusualNames()) {
      put(v2, keys, prefix + "/odd/" + name, "value of " + name);
    }
    return keys;
  }

  private static void put(Store v2, List<String> keys, String key, String value) {
    v2.put(key, value.getBytes(UTF_8), null);
    keys.add(key);
  }
}
