package dev.valkeyrie.etcdv2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.valkeyrie.store.KVPair;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A recursive answer decoded flat, the way {@code list()} reads it. */
class ListingDecodeTest {

  private static EtcdResponse listing(String json) throws IOException {
    return EtcdJson.listing(json.getBytes(StandardCharsets.UTF_8), 42);
  }

  private static KVPair pair(String key, String value, long index) {
    return new KVPair(key, value == null ? null : value.getBytes(StandardCharsets.UTF_8), index);
  }

  @Test
  void nestedDirectoriesBecomeOneFlatListWithTheirEntries() throws IOException {
    EtcdResponse r =
        listing(
            "{\"action\":\"get\",\"node\":{\"key\":\"/dir\",\"dir\":true,"
                + "\"nodes\":[{\"key\":\"/dir/a\",\"dir\":true,\"nodes\":[{\"key\":\"/dir/a/x\","
                + "\"value\":\"1\",\"modifiedIndex\":7,\"createdIndex\":7}],\"modifiedIndex\":6,"
                + "\"createdIndex\":6},{\"key\":\"/dir/b\",\"value\":\"2\",\"modifiedIndex\":8,"
                + "\"createdIndex\":8}],\"modifiedIndex\":5,\"createdIndex\":5}}");

    assertThat(r.node()).isEqualTo(new EtcdNode("/dir", null, true, 5, 5, 0, null));
    assertThat(r.entries())
        .containsExactlyInAnyOrder(
            pair("dir/a", null, 6), pair("dir/a/x", "1", 7), pair("dir/b", "2", 8));
  }

  @Test
  void lockSideKeysAreLeftOut() throws IOException {
    EtcdResponse r =
        listing(
            "{\"action\":\"get\",\"node\":{\"key\":\"/d\",\"dir\":true,"
                + "\"nodes\":[{\"key\":\"/d/job\",\"value\":\"v\",\"modifiedIndex\":2},"
                + "{\"key\":\"/d/job___lock\",\"value\":\"token\",\"modifiedIndex\":3}]}}");

    assertThat(r.entries()).containsExactly(pair("d/job", "v", 2));
  }

  @Test
  void escapedAndNonAsciiValuesKeepTheirBytes() throws IOException {
    EtcdResponse r =
        listing(
            "{\"action\":\"get\",\"node\":{\"key\":\"/d\",\"dir\":true,"
                + "\"nodes\":[{\"key\":\"/d/json\",\"value\":\"{\\\"a\\\":\\\"\\u003cb\\u003e\\\"}\\n\","
                + "\"modifiedIndex\":2},{\"key\":\"/d/ключ\",\"value\":\"ünïcödé \uD83D\uDE00\","
                + "\"modifiedIndex\":3}]}}");

    assertThat(r.entries())
        .containsExactly(
            pair("d/json", "{\"a\":\"<b>\"}\n", 2), pair("d/ключ", "ünïcödé \uD83D\uDE00", 3));
  }

  @Test
  void rootListingHasNoKeyAndItsChildrenLoseTheLeadingSlash() throws IOException {
    EtcdResponse r =
        listing(
            "{\"action\":\"get\",\"node\":{\"dir\":true,\"nodes\":["
                + "{\"key\":\"/a\",\"value\":\"1\",\"modifiedIndex\":3,\"createdIndex\":3}]}}");

    assertThat(r.node().key()).isNull();
    assertThat(r.entries()).containsExactly(pair("a", "1", 3));
  }

  @Test
  void emptyDirectoryHasNoEntries() throws IOException {
    EtcdResponse r =
        listing(
            "{\"action\":\"get\",\"node\":{\"key\":\"/e\",\"dir\":true,"
                + "\"modifiedIndex\":4,\"createdIndex\":4}}");

    assertThat(r.node().dir()).isTrue();
    assertThat(r.entries()).isEmpty();
  }

  @Test
  void aKeyListedAsADirectoryHasNoEntries() throws IOException {
    EtcdResponse r =
        listing(
            "{\"action\":\"get\",\"node\":{\"key\":\"/k\",\"value\":\"v\","
                + "\"modifiedIndex\":4,\"createdIndex\":4}}");

    assertThat(r.node()).isEqualTo(new EtcdNode("/k", "v", false, 4, 4, 0, null));
    assertThat(r.entries()).isEmpty();
  }

  @Test
  void sortedOrdersByCodePointAcrossDirectoryLevels() {
    List<KVPair> etcdOrder =
        List.of(
            pair("d/a", null, 1),
            pair("d/a/x", "", 2),
            pair("d/a-b", "", 3),
            pair("d/\uFF21", "", 4),
            pair("d/\uD83D\uDE00", "", 5),
            pair("d/b", "", 6));

    assertThat(Listing.sorted(new ArrayList<>(etcdOrder)))
        .extracting(KVPair::key)
        .containsExactly("d/a", "d/a-b", "d/a/x", "d/b", "d/\uFF21", "d/\uD83D\uDE00");
  }

  @Test
  void keyOrderIsTheByteOrderOfUtf8() {
    List<String> keys =
        new ArrayList<>(
            List.of(
                "\uD83D\uDE00", "\uFF21", "z", "a/b", "a-b", "a", "\uE000", "\uD800\uDC00", "é"));
    keys.sort(Listing.KEY_ORDER);

    List<String> byBytes = new ArrayList<>(keys);
    byBytes.sort(
        (x, y) ->
            java.util.Arrays.compareUnsigned(
                x.getBytes(StandardCharsets.UTF_8), y.getBytes(StandardCharsets.UTF_8)));
    assertThat(keys).isEqualTo(byBytes).startsWith("a", "a-b", "a/b", "z", "é");
  }
}
