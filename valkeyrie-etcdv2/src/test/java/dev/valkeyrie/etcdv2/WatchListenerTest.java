package dev.valkeyrie.etcdv2;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.store.StoreClosedException;
import dev.valkeyrie.store.Watch;
import dev.valkeyrie.store.WatchListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Watches that push to a listener instead of being taken from. */
class WatchListenerTest {
  @RegisterExtension static final EtcdClusterExtension ETCD = EtcdClusterExtension.members(1);
  private static final Duration WAIT = Duration.ofSeconds(30);

  private Store store;
  private String key;
  private final ExecutorService executor = Executors.newSingleThreadExecutor();

  @BeforeEach
  void open(TestInfo test) {
    store = EtcdV2Store.open(ETCD.endpoints(), null);
    key = "listeners/" + test.getTestMethod().orElseThrow().getName();
    store.put(key, "v0".getBytes(UTF_8));
  }

  @AfterEach
  void close() {
    store.close();
    executor.shutdownNow();
  }

  /** Records what a listener hears. */
  private static final class Recorder implements WatchListener<KVPair> {
    final List<String> values = new CopyOnWriteArrayList<>();
    final AtomicInteger closes = new AtomicInteger();
    final AtomicReference<Throwable> cause = new AtomicReference<>();

    @Override
    public void onUpdate(KVPair update) {
      values.add(update.valueAsString());
    }

    @Override
    public void onClose(Throwable why) {
      cause.set(why);
      closes.incrementAndGet();
    }
  }

  @Test
  void listenerReceivesTheCurrentValueAndEveryChangeInOrder() {
    Recorder recorder = new Recorder();
    try (Watch<KVPair> watch = store.watch(key)) {
      watch.listen(recorder, executor);
      for (int i = 1; i <= 5; i++) {
        store.put(key, ("v" + i).getBytes(UTF_8));
      }

      await().atMost(WAIT).until(() -> recorder.values.size() == 6);
      assertThat(recorder.values).containsExactly("v0", "v1", "v2", "v3", "v4", "v5");
    }
  }

  @Test
  void closingTheWatchEndsTheListenerOnceWithNoCause() {
    Recorder recorder = new Recorder();
    Watch<KVPair> watch = store.watch(key);
    watch.listen(recorder, executor);
    await().atMost(WAIT).until(() -> recorder.values.size() == 1);

    watch.close();
    watch.close();

    await().atMost(WAIT).until(() -> recorder.closes.get() == 1);
    assertThat(recorder.cause.get()).isNull();
  }

  @Test
  void closingTheStoreEndsTheListenerWithTheReason() {
    Recorder recorder = new Recorder();
    store.watch(key).listen(recorder, executor);
    await().atMost(WAIT).until(() -> recorder.values.size() == 1);

    store.close();

    await().atMost(WAIT).until(() -> recorder.closes.get() == 1);
    assertThat(recorder.cause.get()).isInstanceOf(StoreClosedException.class);
  }

  @Test
  void aListenerThatThrowsDoesNotEndTheWatch() {
    List<String> seen = new CopyOnWriteArrayList<>();
    try (Watch<KVPair> watch = store.watch(key)) {
      watch.listen(
          update -> {
            seen.add(update.valueAsString());
            throw new IllegalStateException("listener bug");
          },
          executor);
      store.put(key, "v1".getBytes(UTF_8));

      await().atMost(WAIT).until(() -> seen.size() == 2);
      assertThat(watch.isClosed()).isFalse();
    }
  }

  @Test
  void aWatchWithAListenerCannotAlsoBeTakenFrom() {
    try (Watch<KVPair> watch = store.watch(key)) {
      watch.listen(update -> {}, executor);

      assertThatThrownBy(watch::take).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> watch.listen(update -> {}, executor))
          .isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void hundredsOfListenedWatchesShareTheStoresFewThreads() {
    int watches = 300;
    AtomicInteger updates = new AtomicInteger();
    String dir = key + "-many/k";
    for (int i = 0; i < watches; i++) {
      store.put(dir + i, "0".getBytes(UTF_8));
    }
    for (int i = 0; i < watches; i++) {
      store.watch(dir + i).listen(update -> updates.incrementAndGet(), Runnable::run);
    }
    for (int i = 0; i < watches; i++) {
      store.put(dir + i, "1".getBytes(UTF_8));
    }

    await().atMost(WAIT).until(() -> updates.get() == 2 * watches);
    long storeThreads =
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().startsWith("valkeyrie-etcdv2"))
            .count();
    assertThat(storeThreads).isLessThanOrEqualTo(8);
  }
}
