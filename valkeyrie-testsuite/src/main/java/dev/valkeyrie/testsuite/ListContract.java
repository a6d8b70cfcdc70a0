package dev.valkeyrie.testsuite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.valkeyrie.store.CallNotSupportedException;
import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.KeyNotFoundException;
import dev.valkeyrie.store.KeyTypeException;
import dev.valkeyrie.store.LockOptions;
import dev.valkeyrie.store.Locker;
import dev.valkeyrie.store.ReadOptions;
import dev.valkeyrie.store.WriteOptions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The directory contract: {@code list} (recursive, sorted, directories included, lock side keys
 * left out), {@code deleteTree}, explicit directories ({@link WriteOptions#isDir()}), and the
 * separation of directories from keys ({@link KeyTypeException}), or, where the backend declares a
 * flat keyspace ({@link BackendTraits#keysAndDirectoriesDistinct()}), keys with keys below them.
 *
 * <p>The two lock side-key tests take a lock with {@code newLock}, so this contract needs a backend
 * that supports locks. The side-key marker is {@link #LOCK_SIDE_KEY_MARKER}.
 *
 * <p>Run it from a backend module by subclassing it in {@code src/test} and implementing {@link
 * #newStore()} (see {@link StoreContract}):
 *
 * <pre>{@code
 * class EtcdV2ListTest extends ListContract {
 *   @RegisterExtension static final EtcdClusterExtension ETCD = ...;
 *   @Override protected Store newStore() { return EtcdV2Store.open(ETCD.endpoints(), config); }
 * }
 * }</pre>
 */
public abstract class ListContract extends StoreContract {

  /** What marks the side keys a lock may keep next to its key; they are never listed. */
  public static final String LOCK_SIDE_KEY_MARKER = "___lock";

  // --- list ---

  @Test
  public void listReturnsTheKeysOfADirectoryWithTheirValues() {
    store().put(key("d/a"), utf8("1"));
    store().put(key("d/b"), utf8("2"));

    List<KVPair> listing = store().list(key("d"));

    assertThat(Listings.entries(listing))
        .containsExactly(new Listings.Entry(key("d/a"), "1"), new Listings.Entry(key("d/b"), "2"));
    assertThat(listing).allSatisfy(pair -> assertThat(pair.lastIndex()).isPositive());
  }

  @Test
  public void writingANestedKeyMakesItsParentADirectory() {
    store().put(key("d/k"), utf8("v"));

    assertThat(store().exists(key("d"))).isTrue();
    assertThat(keysOf(store().list(key("d")))).contains(key("d/k"));
  }

  @Test
  public void listIsRecursiveAndIncludesDirectoriesWithEmptyValues() {
    store().put(key("d/a"), utf8("a"));
    store().put(key("d/sub/b"), utf8("b"));
    store().put(key("d/sub/deeper/c"), utf8("c"));

    List<KVPair> listing = store().list(key("d"));

    if (traits().listIncludesImplicitDirectories()) {
      assertThat(Listings.entries(listing))
          .containsExactly(
              new Listings.Entry(key("d/a"), "a"),
              new Listings.Entry(key("d/sub"), ""),
              new Listings.Entry(key("d/sub/b"), "b"),
              new Listings.Entry(key("d/sub/deeper"), ""),
              new Listings.Entry(key("d/sub/deeper/c"), "c"));
    } else {
      assertThat(Listings.entries(listing))
          .containsExactly(
              new Listings.Entry(key("d/a"), "a"),
              new Listings.Entry(key("d/sub/b"), "b"),
              new Listings.Entry(key("d/sub/deeper/c"), "c"));
    }
  }

  @Test
  public void listIsSortedByKey() {
    for (String name : List.of("m", "c/x", "z", "a", "c/a", "b-1", "b/0", "k")) {
      store().put(key("d/" + name), utf8(name));
    }

    List<String> keys = keysOf(store().list(key("d")));

    // Eight keys, and the directories c and b when listings include them.
    assertThat(keys).hasSize(traits().listIncludesImplicitDirectories() ? 10 : 8).isSorted();
  }

  @Test
  public void listDoesNotIncludeTheDirectoryItself() {
    store().put(key("d/a"), utf8("a"));

    assertThat(keysOf(store().list(key("d")))).doesNotContain(key("d")).containsExactly(key("d/a"));
  }

  @Test
  public void listDoesNotIncludeSiblingsOfTheDirectory() {
    store().put(key("d/a"), utf8("a"));
    store().put(key("d2/b"), utf8("b"));
    store().put(key("dx"), utf8("x"));

    assertThat(keysOf(store().list(key("d")))).containsExactly(key("d/a"));
  }

  @Test
  public void listIgnoresLeadingSlashAndReturnsKeysWithoutIt() {
    store().put(key("d/a"), utf8("a"));

    List<String> keys = keysOf(store().list("/" + key("d")));

    assertThat(keys).containsExactly(key("d/a"));
  }

  @Test
  public void listOfAPlainKeyIsEmpty() {
    store().put(key("k"), utf8("v"));

    assertThat(store().list(key("k"))).isEmpty();
  }

  @Test
  public void listOfAMissingDirectoryThrowsKeyNotFound() {
    assertThatThrownBy(() -> store().list(key("missing"))).isInstanceOf(KeyNotFoundException.class);
  }

  @Test
  public void listSeesWritesOfAnotherStore() {
    openStore().put(key("d/a"), utf8("a"));

    assertThat(keysOf(store().list(key("d")))).containsExactly(key("d/a"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(TestData.READ_OPTIONS)
  public void listAcceptsReadOptions(ReadOptions options) {
    store().put(key("d/a"), utf8("a"));

    eventually()
        .ignoreException(KeyNotFoundException.class)
        .untilAsserted(() -> assertThat(keysOf(store().list(key("d"), options))).containsExactly(key("d/a")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(TestData.SPECIAL_KEY_NAMES)
  public void listReturnsKeysWithSpecialCharactersExactly(String name) {
    store().put(key("d/" + name), utf8(name));

    assertThat(Listings.entries(store().list(key("d"))))
        .containsExactly(new Listings.Entry(key("d/" + name), name));
  }

  @Test
  public void listLeavesOutLockSideKeysWhileTheLockIsHeld() throws InterruptedException {
    store().put(key("d/plain"), utf8("v"));
    Locker locker = store().newLock(key("d/lk"), LockOptions.builder().value(utf8("holder")).build());
    locker.lock();

    List<String> keys = keysOf(store().list(key("d")));

    assertThat(keys).contains(key("d/plain"));
    assertThat(keys).allSatisfy(k -> assertThat(k).doesNotContain(LOCK_SIDE_KEY_MARKER));
    locker.unlock();
  }

  @Test
  public void listLeavesOutLockSideKeysAfterUnlock() throws InterruptedException {
    store().put(key("d/plain"), utf8("v"));
    Locker locker = store().newLock(key("d/lk"), LockOptions.builder().value(utf8("holder")).build());
    locker.lock();
    locker.unlock();

    List<String> keys = keysOf(store().list(key("d")));

    assertThat(keys).contains(key("d/plain"));
    assertThat(keys).allSatisfy(k -> assertThat(k).doesNotContain(LOCK_SIDE_KEY_MARKER));
  }

  // --- deleteTree ---

  @Test
  public void deleteTreeRemovesTheDirectoryAndEverythingBelow() {
    store().put(key("d/a"), utf8("a"));
    store().put(key("d/sub/b"), utf8("b"));

    store().deleteTree(key("d"));

    assertThat(store().exists(key("d"))).isFalse();
    assertThat(store().exists(key("d/sub/b"))).isFalse();
    assertThatThrownBy(() -> store().list(key("d"))).isInstanceOf(KeyNotFoundException.class);
  }

  @Test
  public void deleteTreeLeavesSiblingsAlone() {
    store().put(key("d/x/a"), utf8("a"));
    store().put(key("d/y/b"), utf8("b"));
    store().put(key("d/x2"), utf8("c"));

    store().deleteTree(key("d/x"));

    if (traits().listIncludesImplicitDirectories()) {
      assertThat(keysOf(store().list(key("d")))).containsExactly(key("d/x2"), key("d/y"), key("d/y/b"));
    } else {
      assertThat(keysOf(store().list(key("d")))).containsExactly(key("d/x2"), key("d/y/b"));
    }
  }

  @Test
  public void deleteTreeOfAMissingDirectoryThrowsKeyNotFound() {
    assertThatThrownBy(() -> store().deleteTree(key("missing")))
        .isInstanceOf(KeyNotFoundException.class);
  }

  // --- explicit directories, and directories versus keys ---

  @Test
  public void putWithIsDirCreatesAnEmptyDirectory() {
    String dir = key("d");

    store().put(dir, new byte[0], WriteOptions.builder().isDir(true).build());

    assertThat(store().exists(dir)).isTrue();
    assertThat(store().list(dir)).isEmpty();
  }

  @Test
  public void putWithIsDirOnAnExistingDirectoryIsHarmless() {
    String dir = key("d");
    store().put(key("d/a"), utf8("a"));

    store().put(dir, new byte[0], WriteOptions.builder().isDir(true).build());

    assertThat(Listings.entries(store().list(dir))).containsExactly(new Listings.Entry(key("d/a"), "a"));
  }

  @Test
  public void putOfAValueOntoADirectoryThrowsKeyType() {
    assumeTrue(traits().keysAndDirectoriesDistinct(), "keys and directories are distinct");
    String dir = key("d");
    store().put(key("d/a"), utf8("a"));

    assertThatThrownBy(() -> store().put(dir, utf8("v"))).isInstanceOf(KeyTypeException.class);
    assertThat(keysOf(store().list(dir))).containsExactly(key("d/a"));
  }

  @Test
  public void putOfADirectoryOntoAKeyThrowsKeyTypeAndKeepsTheValue() {
    assumeTrue(traits().keysAndDirectoriesDistinct(), "keys and directories are distinct");
    String k = key("k");
    store().put(k, utf8("v"));

    assertThatThrownBy(() -> store().put(k, new byte[0], WriteOptions.builder().isDir(true).build()))
        .isInstanceOf(KeyTypeException.class);
    assertThat(store().get(k).valueAsString()).isEqualTo("v");
  }

  @Test
  public void putBelowAPlainKeyThrowsKeyTypeAndKeepsTheValue() {
    assumeTrue(traits().keysAndDirectoriesDistinct(), "keys and directories are distinct");
    String k = key("k");
    store().put(k, utf8("v"));

    assertThatThrownBy(() -> store().put(key("k/child"), utf8("c")))
        .isInstanceOf(KeyTypeException.class);
    assertThat(store().get(k).valueAsString()).isEqualTo("v");
  }

  // --- a flat keyspace (keys and directories not distinct) ---

  @Test
  public void inAFlatKeyspaceAValueMayBeWrittenOntoADirectory() {
    assumeFalse(traits().keysAndDirectoriesDistinct(), "a flat keyspace");
    String dir = key("d");
    store().put(key("d/a"), utf8("a"));

    store().put(dir, utf8("v"));

    assertThat(store().get(dir).valueAsString()).isEqualTo("v");
    assertThat(keysOf(store().list(dir))).containsExactly(key("d/a"));
  }

  @Test
  public void inAFlatKeyspacePutWithIsDirOntoAKeyKeepsItsValue() {
    assumeFalse(traits().keysAndDirectoriesDistinct(), "a flat keyspace");
    String k = key("k");
    store().put(k, utf8("v"));

    store().put(k, new byte[0], WriteOptions.builder().isDir(true).build());

    assertThat(store().get(k).valueAsString()).isEqualTo("v");
  }

  @Test
  public void inAFlatKeyspaceAKeyMayBeWrittenBelowAKey() {
    assumeFalse(traits().keysAndDirectoriesDistinct(), "a flat keyspace");
    String k = key("k");
    store().put(k, utf8("v"));

    store().put(key("k/child"), utf8("c"));

    assertThat(store().get(k).valueAsString()).isEqualTo("v");
    assertThat(Listings.entries(store().list(k))).containsExactly(new Listings.Entry(key("k/child"), "c"));
  }

  @Test
  public void putOfADirectoryWithATtlIsRefusedWhereDirectoriesHaveNoTtl() {
    assumeFalse(traits().directoriesHaveTtl(), "directories without TTL");
    String dir = key("d");

    assertThatThrownBy(() -> store().put(dir, new byte[0],
            WriteOptions.builder().isDir(true).ttl(Duration.ofSeconds(30)).build()))
        .isInstanceOf(CallNotSupportedException.class)
        .hasMessageContaining(dir);
    assertThat(store().exists(dir)).isFalse();
  }

  @Test
  public void deleteOfANonEmptyDirectoryThrowsKeyTypeAndKeepsItsContent() {
    store().put(key("d/a"), utf8("a"));

    assertThatThrownBy(() -> store().delete(key("d"))).isInstanceOf(KeyTypeException.class);
    assertThat(store().get(key("d/a")).valueAsString()).isEqualTo("a");
  }
}
