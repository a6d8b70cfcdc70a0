package dev.valkeyrie.etcdv3;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.valkeyrie.store.KVPair;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The persistent listing of tree watches, against a TreeMap in etcd's byte order. */
class ListingTest {

  private static ByteString bytes(String key) {
    return ByteString.copyFromUtf8(key);
  }

  private static KVPair pair(String key, long index) {
    return new KVPair(key, ("v" + index).getBytes(StandardCharsets.UTF_8), index);
  }

  @Test
  void randomPutsAndRemovesMatchASortedMapAndEarlierSnapshotsNeverChange() {
    Random random = new Random(42);
    TreeMap<ByteString, KVPair> model = new TreeMap<>(Listing.ORDER);
    Listing listing = Listing.EMPTY;
    List<List<KVPair>> snapshots = new ArrayList<>();
    List<List<KVPair>> expected = new ArrayList<>();
    for (int i = 1; i <= 20_000; i++) {
      String key = "d/" + random.nextInt(2_000);
      if (random.nextInt(3) == 0) {
        model.remove(bytes(key));
        listing = listing.without(bytes(key));
      } else {
        KVPair pair = pair(key, i);
        model.put(bytes(key), pair);
        listing = listing.with(bytes(key), pair, i % 5);
      }
      if (i % 1_000 == 0) {
        snapshots.add(listing.asList());
        expected.add(List.copyOf(model.values()));
      }
    }
    assertThat(listing.size()).isEqualTo(model.size());
    assertThat(listing.asList()).containsExactlyElementsOf(model.values());
    for (int i = 0; i < snapshots.size(); i++) {
      assertThat(snapshots.get(i)).isEqualTo(expected.get(i));
    }
  }

  @Test
  void indexedAccessAgreesWithIteration() {
    Listing listing = Listing.EMPTY;
    for (int i = 0; i < 1_000; i++) {
      String key = String.format("k%04d", (i * 7919) % 1_000);
      listing = listing.with(bytes(key), pair(key, i), 0);
    }
    List<KVPair> view = listing.asList();
    List<KVPair> iterated = new ArrayList<>(view);
    for (int i = 0; i < view.size(); i++) {
      assertThat(view.get(i)).isSameAs(iterated.get(i));
    }
  }

  @Test
  void theTreeStaysBalancedUnderSortedInsertionsAndRemovals() {
    Listing listing = Listing.EMPTY;
    int n = 100_000;
    for (int i = 0; i < n; i++) {
      listing = listing.with(bytes(String.format("d/%06d", i)), pair("d/" + i, i), 0);
    }
    for (int i = 0; i < n; i += 2) {
      listing = listing.without(bytes(String.format("d/%06d", i)));
    }
    assertThat(listing.size()).isEqualTo(n / 2);
    // An AVL tree of n nodes is at most ~1.44 log2(n + 2) high.
    assertThat(listing.height())
        .isLessThanOrEqualTo((int) Math.ceil(1.45 * Math.log(n / 2 + 2) / Math.log(2)));
    assertThat(listing.find(bytes("d/000001"))).isNotNull();
    assertThat(listing.find(bytes("d/000002"))).isNull();
  }

  @Test
  void keysSortAsEtcdSortsThemByUnsignedBytesNotByUtf16() {
    // U+FF61 is 0xEF 0xBD 0xA1 in UTF-8; U+1F600 is 0xF0 ...: after it in bytes, before it in
    // UTF-16 (a surrogate pair starts with 0xD83D).
    String bmp = "d/\uFF61";
    String astral = "d/\uD83D\uDE00";
    Listing listing =
        Listing.EMPTY.with(bytes(astral), pair(astral, 1), 0).with(bytes(bmp), pair(bmp, 2), 0);
    assertThat(listing.asList()).extracting(KVPair::key).containsExactly(bmp, astral);
  }

  @Test
  void removingAnAbsentKeyReturnsTheSameListing() {
    Listing listing = Listing.EMPTY.with(bytes("a"), pair("a", 1), 0);
    assertThat(listing.without(bytes("b"))).isSameAs(listing);
  }

  @Test
  void ofSortedBuildsTheSameListing() {
    TreeMap<ByteString, KVPair> model = new TreeMap<>(Listing.ORDER);
    for (int i = 0; i < 777; i++) {
      model.put(bytes("k" + i), pair("k" + i, i));
    }
    List<Listing.Node> nodes = new ArrayList<>();
    for (Map.Entry<ByteString, KVPair> e : model.entrySet()) {
      nodes.add(Listing.entry(e.getKey(), e.getValue(), 0));
    }
    Listing listing = Listing.ofSorted(nodes);
    assertThat(listing.asList()).containsExactlyElementsOf(model.values());
    Iterator<Listing.Node> it = listing.iterator();
    for (ByteString key : model.keySet()) {
      assertThat(it.next().key).isEqualTo(key);
    }
    assertThat(it.hasNext()).isFalse();
  }
}
