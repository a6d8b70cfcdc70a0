package dev.valkeyrie.etcdv2;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.store.CallNotSupportedException;
import dev.valkeyrie.store.InvalidKeyException;
import dev.valkeyrie.store.InvalidValueException;
import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.KeyNotFoundException;
import dev.valkeyrie.store.KeyTypeException;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.store.Watch;
import dev.valkeyrie.store.WriteOptions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The etcd v2 pitfalls of the protocol notes, each shown to be handled: nothing is silently changed
 * or lost, and what etcd cannot store faithfully is refused with a clear message.
 */
class EtcdV2PitfallsTest {
  @RegisterExtension static final EtcdClusterExtension ETCD = EtcdClusterExtension.members(1);

  private Store store;
  private String prefix;

  @BeforeEach
  void open(TestInfo test) {
    store = EtcdV2Store.open(ETCD.endpoints(), null);
    prefix = "pitfalls/" + test.getTestMethod().orElseThrow().getName();
  }

  @AfterEach
  void close() {
    store.close();
  }

  private String key(String name) {
    return prefix + "/" + name;
  }

  @Test
  void valueThatIsNotUtf8IsRefusedAndNothingIsWritten() {
    byte[] latin1 = {'c', 'a', 'f', (byte) 0xE9};

    assertThatThrownBy(() -> store.put(key("binary"), latin1))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining(key("binary"))
        .hasMessageContaining("UTF-8");
    assertThat(store.exists(key("binary"))).isFalse();
  }

  @Test
  void formSpecialCharactersInValuesRoundTrip() {
    String value = "a+b c&d=e%20f?g#h\u00e9\u65e5\uD83D\uDE00\u0000\n";
    store.put(key("form"), value.getBytes(UTF_8));

    assertThat(store.get(key("form")).valueAsString()).isEqualTo(value);
  }

  @Test
  void literalPercentTwoFInKeyStaysOneSegment() {
    store.put(key("dbl%2Fenc"), "v".getBytes(UTF_8));

    assertThat(store.list(prefix)).extracting(KVPair::key).containsExactly(key("dbl%2Fenc"));
  }

  @Test
  void dotSegmentsAreRefusedInsteadOfBeingRedirectedAndDropped() {
    assertThatThrownBy(() -> store.put(prefix + "/a/../b", "v".getBytes(UTF_8)))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessageContaining("..");
  }

  @Test
  void directoryOverAKeyIsRefusedAndTheValueKept() {
    store.put(key("file"), "keep me".getBytes(UTF_8));

    assertThatThrownBy(
            () -> store.put(key("file"), null, WriteOptions.builder().isDir(true).build()))
        .isInstanceOf(KeyTypeException.class)
        .hasMessageContaining(key("file"));
    assertThat(store.get(key("file")).valueAsString()).isEqualTo("keep me");
  }

  @Test
  void valueOnADirectoryIsRefused() {
    store.put(key("dir/child"), "v".getBytes(UTF_8));

    assertThatThrownBy(() -> store.put(key("dir"), "x".getBytes(UTF_8)))
        .isInstanceOf(KeyTypeException.class)
        .hasMessageContaining("directory");
  }

  @Test
  void keyBelowAKeyIsRefusedOnWriteAndAbsentOnRead() {
    store.put(key("leaf"), "v".getBytes(UTF_8));

    assertThatThrownBy(() -> store.put(key("leaf/below"), "x".getBytes(UTF_8)))
        .isInstanceOf(KeyTypeException.class);
    assertThatThrownBy(() -> store.get(key("leaf/below"))).isInstanceOf(KeyNotFoundException.class);
    assertThat(store.exists(key("leaf/below"))).isFalse();
  }

  @Test
  void getOfADirectoryReturnsAnEmptyValueAsTheGoBackendDoes() {
    store.put(key("d/x"), "v".getBytes(UTF_8));

    assertThat(store.get(key("d")).value()).isEmpty();
  }

  @Test
  void listIsSortedInByteOrderAcrossLevels() {
    for (String name : List.of("9", "10", "alpha", "Beta", "a-b", "a/x", "\u00e9t\u00e9")) {
      store.put(key("sorted/" + name), "v".getBytes(UTF_8));
    }

    assertThat(store.list(key("sorted")))
        .extracting(KVPair::key)
        .containsExactly(
            key("sorted/10"),
            key("sorted/9"),
            key("sorted/Beta"),
            key("sorted/a"),
            key("sorted/a-b"),
            key("sorted/a/x"),
            key("sorted/alpha"),
            key("sorted/\u00e9t\u00e9"));
  }

  @Test
  void hiddenUnderscoreKeysAreReadableButNotListed() {
    store.put(key("h/_hidden"), "secret".getBytes(UTF_8));
    store.put(key("h/shown"), "v".getBytes(UTF_8));

    assertThat(store.get(key("h/_hidden")).valueAsString()).isEqualTo("secret");
    assertThat(store.list(key("h"))).extracting(KVPair::key).containsExactly(key("h/shown"));
  }

  @Test
  void overwritingWithoutTtlRemovesTheTtl() {
    store.put(
        key("ttl"), "1".getBytes(UTF_8), WriteOptions.builder().ttl(Duration.ofSeconds(1)).build());
    store.put(key("ttl"), "2".getBytes(UTF_8));
    store.put(
        key("witness"),
        "w".getBytes(UTF_8),
        WriteOptions.builder().ttl(Duration.ofSeconds(1)).build());

    await().atMost(Duration.ofSeconds(15)).until(() -> !store.exists(key("witness")));
    assertThat(store.get(key("ttl")).valueAsString()).isEqualTo("2");
  }

  @Test
  void megabyteValueRoundTrips() {
    byte[] value = new byte[1 << 20];
    Arrays.fill(value, (byte) 'x');
    store.put(key("big"), value);

    assertThat(store.get(key("big")).value()).isEqualTo(value);
  }

  @Test
  void valueOverTheServersFormLimitIsRefusedBeforeSending() {
    byte[] value = new byte[4 << 20];
    Arrays.fill(value, (byte) ' '); // each space encodes to three bytes: 12 MiB on the wire

    assertThatThrownBy(() -> store.put(key("huge"), value))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining(key("huge"))
        .hasMessageContaining("too large");
    assertThat(store.exists(key("huge"))).isFalse();
  }

  @Test
  void keyLongerThanTheRequestLineAllowsIsRefused() {
    String longKey = key("k".repeat(4000));

    assertThatThrownBy(() -> store.put(longKey, "v".getBytes(UTF_8)))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessageContaining("too long");
  }

  @Test
  void previousWithIndexZeroIsRefusedInsteadOfBecomingAnUnconditionalWrite() {
    store.put(key("cas"), "v".getBytes(UTF_8));

    assertThatThrownBy(
            () ->
                store.atomicPut(
                    key("cas"),
                    "x".getBytes(UTF_8),
                    new KVPair(key("cas"), "v".getBytes(UTF_8), 0),
                    null))
        .isInstanceOf(InvalidValueException.class);
    assertThat(store.get(key("cas")).valueAsString()).isEqualTo("v");
  }

  @Test
  void compareAndSwapWorksOnAnEmptyValue() {
    store.put(key("empty"), new byte[0]);
    KVPair current = store.get(key("empty"));

    KVPair next = store.atomicPut(key("empty"), "now set".getBytes(UTF_8), current, null);

    assertThat(next.lastIndex()).isGreaterThan(current.lastIndex());
    assertThat(store.get(key("empty")).valueAsString()).isEqualTo("now set");
  }

  @Test
  void atomicPutOfADirectoryIsNotSupported() {
    assertThatThrownBy(
            () ->
                store.atomicPut(
                    key("d"), new byte[0], null, WriteOptions.builder().isDir(true).build()))
        .isInstanceOf(CallNotSupportedException.class);
  }

  @Test
  void deletingAnEmptyDirectoryWorksAndANonEmptyOneNeedsDeleteTree() {
    store.put(key("emptydir"), null, WriteOptions.builder().isDir(true).build());
    store.put(key("full/x"), "v".getBytes(UTF_8));

    store.delete(key("emptydir"));
    assertThat(store.exists(key("emptydir"))).isFalse();
    assertThatThrownBy(() -> store.delete(key("full")))
        .isInstanceOf(KeyTypeException.class)
        .hasMessageContaining("deleteTree");
  }

  @Test
  void keyWatchSeesTheDeletionOfAnAncestorDirectory() throws InterruptedException {
    store.put(key("anc/sub/k"), "v".getBytes(UTF_8));
    try (Watch<KVPair> watch = store.watch(key("anc/sub/k"))) {
      assertThat(watch.take().valueAsString()).isEqualTo("v");

      store.deleteTree(key("anc"));

      KVPair gone = watch.poll(Duration.ofSeconds(30));
      assertThat(gone).isNotNull();
      assertThat(gone.key()).isEqualTo(key("anc/sub/k"));
      assertThat(gone.value()).isEmpty();
    }
  }

  @Test
  void treeWatchSeesImplicitParentDirectoriesLikeList() throws InterruptedException {
    store.put(key("tree/seed"), "s".getBytes(UTF_8));
    try (Watch<List<KVPair>> watch = store.watchTree(key("tree"))) {
      watch.take();
      store.put(key("tree/a/b/c"), "deep".getBytes(UTF_8));

      List<KVPair> expected = store.list(key("tree"));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> expected.equals(watch.poll(Duration.ofMillis(200))));
    }
  }

  @Test
  void keepAliveKeepsAKeyPastItsTtlUntilTheStoreCloses() {
    Store owner = EtcdV2Store.open(ETCD.endpoints(), null);
    owner.put(
        key("registration"),
        "me".getBytes(UTF_8),
        WriteOptions.builder().ttl(Duration.ofSeconds(2)).keepAlive(true).build());
    store.put(
        key("witness"),
        "w".getBytes(UTF_8),
        WriteOptions.builder().ttl(Duration.ofSeconds(2)).build());

    await().atMost(Duration.ofSeconds(20)).until(() -> !store.exists(key("witness")));
    assertThat(store.get(key("registration")).valueAsString()).isEqualTo("me");

    owner.close();
    await().atMost(Duration.ofSeconds(20)).until(() -> !store.exists(key("registration")));
  }
}
