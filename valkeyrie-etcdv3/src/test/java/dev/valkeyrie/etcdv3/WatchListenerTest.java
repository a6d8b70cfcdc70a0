package dev.valkeyrie.etcdv3;

import static dev.valkeyrie.etcdv3.TestSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.etcd.launcher.EtcdCluster;
import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.store.StoreClosedException;
import dev.valkeyrie.store.Watch;
import dev.valkeyrie.store.WatchListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Listeners: pushed on the caller's executor, in order, with no thread per watch. */
class WatchListenerTest {
  @RegisterExtension
  static final EtcdClusterExtension ETCD =
      EtcdClusterExtension.of(EtcdCluster.builder().name("v3-watch-listener"));

  private static Store writer;

  @BeforeAll
  static void openWriter() {
    writer = EtcdV3Store.open(ETCD.endpoints(), null);
  }

  @AfterAll
  static void closeWriter() {
    writer.close();
  }

  /** Collects what a listener hears. */
  private static final class Recorder implements WatchListener<KVPair> {
    final List<String> values = new CopyOnWriteArrayList<>();
    final AtomicReference<Throwable> closed = new AtomicReference<>();
    final AtomicInteger closes = new AtomicInteger();

    @Override
    public void onUpdate(KVPair update) {
      values.add(update.valueAsString());
    }

    @Override
    public void onClose(Throwable cause) {
      closes.incrementAndGet();
      closed.set(cause == null ? new Exception("closed by its user") : cause);
    }
  }

  @Test
  void aListenerGetsTheCurrentValueAndEveryChangeInOrder() {
    String key = "listener/order/k";
    writer.put(key, utf8("0"));
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try (Store store = EtcdV3Store.open(ETCD.endpoints(), null);
        Watch<KVPair> watch = store.watch(key)) {
      Recorder recorder = new Recorder();
      watch.listen(recorder, executor);
      await().atMost(Duration.ofSeconds(10)).until(() -> recorder.values.size() == 1);
      List<String> written = new ArrayList<>(List.of("0"));
      for (int i = 1; i <= 20; i++) {
        writer.put(key, utf8(Integer.toString(i)));
        written.add(Integer.toString(i));
      }

      await().atMost(Duration.ofSeconds(10)).until(() -> recorder.values.size() == 21);
      assertThat(recorder.values).containsExactlyElementsOf(written);
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void closingTheStoreEndsTheListenerOnceWithTheStoreClosingAsCause() {
    String key = "listener/close/k";
    writer.put(key, utf8("v"));
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try {
      Store store = EtcdV3Store.open(ETCD.endpoints(), null);
      Recorder recorder = new Recorder();
      store.watch(key).listen(recorder, executor);
      await().atMost(Duration.ofSeconds(10)).until(() -> recorder.values.size() == 1);

      store.close();

      await().atMost(Duration.ofSeconds(10)).until(() -> recorder.closed.get() != null);
      assertThat(recorder.closed.get()).isInstanceOf(StoreClosedException.class);
      assertThat(recorder.closes.get()).isEqualTo(1);
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void hundredsOfListenedWatchesHoldNoThreadOfTheirOwn() throws Exception {
    String dir = "listener/many";
    int watches = 300;
    for (int i = 0; i < watches; i++) {
      writer.put(dir + "/k" + i, utf8("before"));
    }
    ExecutorService executor = Executors.newFixedThreadPool(2);
    try (EtcdV3Store store = EtcdV3Store.open(ETCD.endpoints(), null)) {
      List<Recorder> recorders = new ArrayList<>();
      List<Watch<KVPair>> open = new ArrayList<>();
      for (int i = 0; i < watches; i++) {
        Recorder recorder = new Recorder();
        Watch<KVPair> watch = store.watch(dir + "/k" + i);
        watch.listen(recorder, executor);
        recorders.add(recorder);
        open.add(watch);
      }
      int threads = Thread.activeCount();
      for (int i = 0; i < watches; i++) {
        writer.put(dir + "/k" + i, utf8("after"));
      }

      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> recorders.stream().allMatch(r -> r.values.contains("after")));
      assertThat(Thread.activeCount())
          .as("threads while %d watches are listened", watches)
          .isLessThanOrEqualTo(threads + 2);
      assertThat(TestSupport.threadsNamed(store.threadPrefix())).hasSizeLessThanOrEqualTo(8);
      open.forEach(Watch::close);
    } finally {
      executor.shutdownNow();
      executor.awaitTermination(10, TimeUnit.SECONDS);
    }
  }
}
