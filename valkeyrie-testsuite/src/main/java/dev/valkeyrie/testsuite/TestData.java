package dev.valkeyrie.testsuite;

import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.LockOptions;
import dev.valkeyrie.store.ReadOptions;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.store.WriteOptions;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Argument sources of the parameterized contract tests. Each method is a JUnit {@code
 * MethodSource}, referenced by its fully qualified name so that it resolves from any subclass.
 */
public final class TestData {

  static final String SPECIAL_KEY_NAMES = "dev.valkeyrie.testsuite.TestData#specialKeyNames";
  static final String SPECIAL_KEY_PATHS = "dev.valkeyrie.testsuite.TestData#specialKeyPaths";
  static final String CONFUSABLE_KEYS = "dev.valkeyrie.testsuite.TestData#confusableKeys";
  static final String INVALID_KEYS = "dev.valkeyrie.testsuite.TestData#invalidKeys";
  static final String VALUES = "dev.valkeyrie.testsuite.TestData#values";
  static final String BINARY_VALUES = "dev.valkeyrie.testsuite.TestData#binaryValues";
  static final String READ_OPTIONS = "dev.valkeyrie.testsuite.TestData#readOptions";
  static final String STORE_CALLS = "dev.valkeyrie.testsuite.TestData#storeCalls";

  /** About 100 KiB. */
  static final int LARGE_VALUE_BYTES = 100 * 1024;

  private TestData() {}

  /** One path segment each, with characters that must survive every layer of encoding. */
  public static Stream<String> specialKeyNames() {
    return Stream.of(
        "with space",
        "per%cent",
        "percent%20encoded",
        "question?mark",
        "hash#tag",
        "plus+sign",
        "amp&ersand",
        "semi;colon",
        "equals=sign",
        "été",
        "日本",
        "emoji😀",
        "all of é?#%+&;= 日本 😀");
  }

  /** {@link #specialKeyNames()}, plus paths with special characters in several segments. */
  public static Stream<String> specialKeyPaths() {
    return Stream.concat(
        specialKeyNames(), Stream.of("dir with space/sub%dir/k?1", "été/日本/😀 #+&;="));
  }

  /**
   * Pairs of distinct keys (relative, each a single segment or a path) that a wrong encoding or
   * decoding would turn into the same key.
   */
  public static Stream<Arguments> confusableKeys() {
    return Stream.of(
        Arguments.of("a+b", "a b"),
        Arguments.of("a%20b", "a b"),
        Arguments.of("a%2Fb", "a/b"),
        Arguments.of("a%25b", "a%b"),
        Arguments.of("a#b", "a"),
        Arguments.of("a?b", "a"),
        Arguments.of("a;b", "a"),
        Arguments.of("a&b=c", "a"));
  }

  /**
   * Keys every operation must reject with {@code InvalidKeyException}: each is a function of the
   * test's prefix (absolute invalid keys ignore it).
   */
  public static Stream<Named<UnaryOperator<String>>> invalidKeys() {
    return Stream.of(
        Named.of("null", prefix -> null),
        Named.of("empty", prefix -> ""),
        Named.of("blank '   '", prefix -> "   "),
        Named.of("root '/'", prefix -> "/"),
        Named.of("'.'", prefix -> "."),
        Named.of("'..'", prefix -> ".."),
        Named.of("'<prefix>/a//b'", prefix -> prefix + "/a//b"),
        Named.of("'<prefix>/a/./b'", prefix -> prefix + "/a/./b"),
        Named.of("'<prefix>/a/../b'", prefix -> prefix + "/a/../b"),
        Named.of("'<prefix>/a/.'", prefix -> prefix + "/a/."),
        Named.of("'<prefix>/a/..'", prefix -> prefix + "/a/.."));
  }

  /** Valid UTF-8 values that must round-trip byte-exact. */
  public static Stream<Named<byte[]>> values() {
    return Stream.of(
        Named.of("empty", new byte[0]),
        Named.of("ascii", utf8("hello, valkeyrie")),
        Named.of("multi-byte UTF-8", utf8("été 日本語 😀 Ω")),
        Named.of("NUL byte", utf8("before\u0000after")),
        Named.of("control characters", utf8("\u0001\u0002\t\n\r\u000b\u000c\u001b\u001f\u007f")),
        Named.of("JSON-like", utf8("{\"a\": [1, 2], \"b\": \"x=y&z\"}")),
        Named.of("100 KiB", largeValue()));
  }

  /**
   * Values that are not valid UTF-8: they round-trip where values are any bytes, and are refused
   * where values are text ({@link BackendTraits#valuesAnyBytes()}).
   */
  public static Stream<Named<byte[]>> binaryValues() {
    byte[] everyByte = new byte[256];
    for (int i = 0; i < everyByte.length; i++) {
      everyByte[i] = (byte) i;
    }
    return Stream.of(
        Named.of("every byte 0x00-0xff", everyByte),
        Named.of("lone 0xff", new byte[] {(byte) 0xff}),
        Named.of("lone continuation byte 0x80", new byte[] {'a', (byte) 0x80, 'b'}),
        Named.of("truncated sequence 0xc3", new byte[] {'a', (byte) 0xc3}),
        Named.of("overlong '/' 0xc0 0xaf", new byte[] {(byte) 0xc0, (byte) 0xaf}),
        Named.of("encoded surrogate 0xed 0xa0 0x80", new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}));
  }

  /** The read options every read accepts. */
  public static Stream<Arguments> readOptions() {
    return Stream.of(
        Arguments.of((Object) null),
        Arguments.of(ReadOptions.DEFAULT),
        Arguments.of(ReadOptions.builder().consistent(false).build()));
  }

  /** One call on a store, given an existing key below the test's prefix and that prefix. */
  @FunctionalInterface
  public interface StoreCall {
    void call(Store store, String key, String directory) throws Exception;
  }

  /** Every kind of call on a store. */
  public static Stream<Named<StoreCall>> storeCalls() {
    return Stream.of(
        call("put", (store, key, dir) -> store.put(key, utf8("v"))),
        call("put with options", (store, key, dir) -> store.put(key, utf8("v"), WriteOptions.DEFAULT)),
        call("get", (store, key, dir) -> store.get(key)),
        call("exists", (store, key, dir) -> store.exists(key)),
        call("delete", (store, key, dir) -> store.delete(key)),
        call("list", (store, key, dir) -> store.list(dir)),
        call("deleteTree", (store, key, dir) -> store.deleteTree(dir)),
        call("watch", (store, key, dir) -> store.watch(key).close()),
        call("watchTree", (store, key, dir) -> store.watchTree(dir).close()),
        call("newLock", (store, key, dir) -> store.newLock(key + "-lock", LockOptions.DEFAULT)),
        call("atomicPut", (store, key, dir) -> store.atomicPut(key + "-new", utf8("v"), null, null)),
        call("atomicDelete", (store, key, dir) -> store.atomicDelete(key, new KVPair(key, utf8("v"), 1))));
  }

  private static Named<StoreCall> call(String name, StoreCall call) {
    return Named.of(name, call);
  }

  /** A value of {@link #LARGE_VALUE_BYTES} or a little more, mixing one- to four-byte characters. */
  static byte[] largeValue() {
    String line = "valkeyrie été 日本 😀 0123456789 abcdefghijklmnopqrstuvwxyz\n";
    int lineBytes = utf8(line).length;
    return utf8(line.repeat(LARGE_VALUE_BYTES / lineBytes + 1));
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
