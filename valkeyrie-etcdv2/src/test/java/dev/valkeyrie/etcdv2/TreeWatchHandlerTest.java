package dev.valkeyrie.etcdv2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.StoreUnavailableException;
import dev.valkeyrie.store.WatchClosedException;
import dev.valkeyrie.store.spi.BufferedWatch;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TreeWatchHandlerTest {

  /** Only a bound on how long an empty poll waits; nothing is timed. */
  private static final Duration TINY = Duration.ofMillis(10);

  private final BufferedWatch<List<KVPair>> sink =
      new BufferedWatch<>(16, BufferedWatch.Overflow.DROP_OLDEST, "directory 'd'");
  private final TreeWatchHandler handler = TreeWatchHandler.snapshots(KeyPath.directory("d"), sink);

  // ---- etcd shapes ----

  private static EtcdNode key(String key, String value, long index) {
    return new EtcdNode("/" + key, value, false, index, index, 0, null);
  }

  private static EtcdNode dir(String key, long index, EtcdNode... children) {
    return new EtcdNode("/" + key, null, true, index, index, 0, List.of(children));
  }

  private static EtcdResponse event(String action, EtcdNode node) {
    return new EtcdResponse(action, node, null, 1);
  }

  /** What etcd sends for a deletion or expiry: the node's key and index, no value. */
  private static EtcdNode gone(String key, boolean dir, long index) {
    return new EtcdNode("/" + key, null, dir, 1, index, 0, null);
  }

  /** etcd's answer to the watch's recursive read of {@code node}, decoded as the loop does. */
  private static EtcdResponse listing(EtcdNode node) {
    try {
      return EtcdJson.listing(
          ("{\"action\":\"get\",\"node\":" + json(node) + "}").getBytes(StandardCharsets.UTF_8), 1);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String json(EtcdNode node) {
    StringBuilder out = new StringBuilder("{");
    if (node.key() != null) {
      out.append("\"key\":\"").append(node.key()).append("\",");
    }
    if (node.dir()) {
      out.append("\"dir\":true,");
    } else {
      out.append("\"value\":\"").append(node.value()).append("\",");
    }
    if (!node.nodes().isEmpty()) {
      out.append("\"nodes\":[");
      node.nodes().forEach(child -> out.append(json(child)).append(','));
      out.setCharAt(out.length() - 1, ']');
      out.append(',');
    }
    return out.append("\"modifiedIndex\":")
        .append(node.modifiedIndex())
        .append(",\"createdIndex\":")
        .append(node.createdIndex())
        .append('}')
        .toString();
  }

  // ---- expected listings ----

  private static KVPair pair(String key, String value, long index) {
    return new KVPair(key, value.getBytes(StandardCharsets.UTF_8), index);
  }

  private static KVPair directory(String key, long index) {
    return new KVPair(key, null, index);
  }

  private List<KVPair> published() throws InterruptedException {
    List<KVPair> update = sink.poll(TINY);
    assertThat(update).as("an update was published").isNotNull();
    return update;
  }

  private void assertNothingPublished() throws InterruptedException {
    assertThat(sink.poll(TINY)).as("no further update").isNull();
  }

  /** d = {a/ {x, y}, b}. */
  private static EtcdNode tree() {
    return dir(
        "d", 1, dir("d/a", 2, key("d/a/x", "x", 3), key("d/a/y", "y", 4)), key("d/b", "b", 5));
  }

  /** Starts from a snapshot of {@link #tree()} and consumes its update. */
  private void startWithTree() throws InterruptedException {
    handler.snapshot(listing(tree()), 5);
    published();
  }

  // ---- snapshots ----

  @Test
  void snapshotIsFlattenedWithDirectoriesAndSortedByKey() throws InterruptedException {
    handler.snapshot(
        listing(
            dir(
                "d",
                1,
                key("d/b", "b", 5),
                dir("d/a", 2, key("d/a/y", "y", 4), key("d/a/x", "x", 3)))),
        5);

    assertThat(published())
        .containsExactly(
            directory("d/a", 2), pair("d/a/x", "x", 3), pair("d/a/y", "y", 4), pair("d/b", "b", 5));
  }

  @Test
  void snapshotSkipsLockSideKeys() throws InterruptedException {
    handler.snapshot(
        listing(dir("d", 1, key("d/job", "v", 2), key("d/job___lock", "token", 3))), 3);

    assertThat(published()).containsExactly(pair("d/job", "v", 2));
  }

  @Test
  void snapshotOfAMissingDirectoryIsEmpty() throws InterruptedException {
    handler.snapshot(null, 10);

    assertThat(published()).isEmpty();
  }

  @Test
  void snapshotOfAPlainKeyIsEmpty() throws InterruptedException {
    handler.snapshot(listing(key("d", "not a directory", 3)), 3);

    assertThat(published()).isEmpty();
  }

  @Test
  void unchangedSnapshotIsNotPublishedTwice() throws InterruptedException {
    startWithTree();

    handler.snapshot(listing(tree()), 9);

    assertNothingPublished();
  }

  @Test
  void aNewSnapshotReplacesTheListing() throws InterruptedException {
    startWithTree();

    handler.snapshot(listing(dir("d", 1, key("d/c", "c", 20))), 20);

    assertThat(published()).containsExactly(pair("d/c", "c", 20));
  }

  @Test
  void rootSnapshotWithoutKeysListsEverything() throws InterruptedException {
    BufferedWatch<List<KVPair>> rootSink =
        new BufferedWatch<>(4, BufferedWatch.Overflow.DROP_OLDEST, "directory ''");
    TreeWatchHandler root = TreeWatchHandler.snapshots(KeyPath.directory(""), rootSink);

    root.snapshot(listing(new EtcdNode(null, null, true, 0, 0, 0, List.of(key("a", "1", 3)))), 3);

    assertThat(rootSink.poll(TINY)).containsExactly(pair("a", "1", 3));
  }

  // ---- events that add or change ----

  @Test
  void setOfANewKeyAddsIt() throws InterruptedException {
    startWithTree();

    handler.event(event("set", key("d/c", "c", 6)));

    assertThat(published()).contains(pair("d/c", "c", 6)).hasSize(5);
  }

  @Test
  void setOfAnExistingKeyChangesItsValueAndIndex() throws InterruptedException {
    startWithTree();

    handler.event(event("set", key("d/b", "b2", 7)));

    assertThat(published()).contains(pair("d/b", "b2", 7)).doesNotContain(pair("d/b", "b", 5));
  }

  @Test
  void setOfADeepKeyAddsTheImplicitParentDirectoriesWithTheEventsIndex()
      throws InterruptedException {
    handler.snapshot(listing(dir("d", 1)), 1);
    published();

    handler.event(event("set", key("d/a/b/c", "v", 7)));

    assertThat(published())
        .containsExactly(directory("d/a", 7), directory("d/a/b", 7), pair("d/a/b/c", "v", 7));
  }

  @Test
  void existingParentDirectoriesKeepTheirIndex() throws InterruptedException {
    startWithTree();

    handler.event(event("create", key("d/a/z", "z", 8)));

    assertThat(published()).contains(directory("d/a", 2), pair("d/a/z", "z", 8));
  }

  @Test
  void creatingAnEmptySubdirectoryAddsIt() throws InterruptedException {
    startWithTree();

    handler.event(event("create", dir("d/e", 9)));

    assertThat(published()).contains(directory("d/e", 9)).hasSize(5);
  }

  @Test
  void setOfALockSideKeyIsIgnored() throws InterruptedException {
    startWithTree();

    handler.event(event("create", key("d/b___lock", "token", 9)));

    assertNothingPublished();
  }

  @Test
  void directoryTtlUpdateKeepsTheOldIndex() throws InterruptedException {
    startWithTree();

    handler.event(event("update", dir("d/a", 12)));
    handler.event(event("set", key("d/c", "c", 13)));

    assertThat(published()).contains(directory("d/a", 2)).doesNotContain(directory("d/a", 12));
    assertNothingPublished();
  }

  // ---- events that remove ----

  @Test
  void deleteOfAChildKeyRemovesIt() throws InterruptedException {
    startWithTree();

    handler.event(event("delete", gone("d/b", false, 10)));

    assertThat(published())
        .containsExactly(directory("d/a", 2), pair("d/a/x", "x", 3), pair("d/a/y", "y", 4));
  }

  @Test
  void expireOrCompareAndDeleteOfAChildKeyRemovesIt() throws InterruptedException {
    startWithTree();

    handler.event(event("expire", gone("d/a/x", false, 10)));
    handler.event(event("compareAndDelete", gone("d/a/y", false, 11)));

    published();
    assertThat(published()).containsExactly(directory("d/a", 2), pair("d/b", "b", 5));
  }

  @Test
  void deleteOfASubdirectoryRemovesEverythingBelowIt() throws InterruptedException {
    handler.snapshot(
        listing(
            dir(
                "d",
                1,
                dir("d/a", 2, dir("d/a/deep", 3, key("d/a/deep/k", "k", 4))),
                key("d/a-b", "dash", 5),
                key("d/ab", "ab", 6),
                key("d/a0", "zero", 7))),
        7);
    published();

    handler.event(event("delete", gone("d/a", true, 10)));

    assertThat(published())
        .containsExactly(pair("d/a-b", "dash", 5), pair("d/a0", "zero", 7), pair("d/ab", "ab", 6));
  }

  @Test
  void expireOfASubdirectoryRemovesEverythingBelowIt() throws InterruptedException {
    startWithTree();

    handler.event(event("expire", gone("d/a", true, 10)));

    assertThat(published()).containsExactly(pair("d/b", "b", 5));
  }

  @Test
  void deleteOfTheWatchedDirectoryEmptiesTheSnapshot() throws InterruptedException {
    startWithTree();

    handler.event(event("delete", gone("d", true, 10)));

    assertThat(published()).isEmpty();
  }

  @Test
  void expireOfTheWatchedDirectoryEmptiesTheSnapshot() throws InterruptedException {
    startWithTree();

    handler.event(event("expire", gone("d", true, 10)));

    assertThat(published()).isEmpty();
  }

  @Test
  void deleteOfADirectoryAboveTheWatchedOneEmptiesTheSnapshot() throws InterruptedException {
    BufferedWatch<List<KVPair>> subSink =
        new BufferedWatch<>(4, BufferedWatch.Overflow.DROP_OLDEST, "directory 'd/a'");
    TreeWatchHandler sub = TreeWatchHandler.snapshots(KeyPath.directory("d/a"), subSink);
    sub.snapshot(listing(dir("d/a", 2, key("d/a/x", "x", 3))), 3);
    assertThat(subSink.poll(TINY)).containsExactly(pair("d/a/x", "x", 3));

    sub.event(event("delete", gone("d", true, 10)));

    assertThat(subSink.poll(TINY)).isEmpty();
  }

  @Test
  void rootWatchAddsImplicitTopLevelDirectories() throws InterruptedException {
    BufferedWatch<List<KVPair>> rootSink =
        new BufferedWatch<>(4, BufferedWatch.Overflow.DROP_OLDEST, "directory ''");
    TreeWatchHandler root = TreeWatchHandler.snapshots(KeyPath.directory(""), rootSink);
    root.snapshot(listing(new EtcdNode(null, null, true, 0, 0, 0, null)), 1);
    assertThat(rootSink.poll(TINY)).isEmpty();

    root.event(event("set", key("a/b", "v", 4)));

    assertThat(rootSink.poll(TINY)).containsExactly(directory("a", 4), pair("a/b", "v", 4));
  }

  // ---- failure ----

  @Test
  void failureEndsTheWatchWithItsCause() {
    StoreUnavailableException cause = new StoreUnavailableException("gone");

    handler.failed(cause);

    assertThatThrownBy(sink::take).isInstanceOf(WatchClosedException.class).hasCause(cause);
  }
}
