package dev.valkeyrie.testsuite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.KeyNotFoundException;
import dev.valkeyrie.store.Store;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/**
 * The common base of every conformance contract: opens stores through the backend's {@link
 * #newStore()} hook, closes them after each test, and gives each test its own key prefix.
 *
 * <p>A backend module runs a contract by subclassing it in its own {@code src/test}, for example:
 *
 * <pre>{@code
 * class EtcdV2KeyValueTest extends KeyValueContract {
 *   @RegisterExtension static final EtcdClusterExtension ETCD = ...;
 *
 *   @Override
 *   protected Store newStore() {
 *     return EtcdV2Store.open(ETCD.endpoints(), config);
 *   }
 * }
 * }</pre>
 *
 * <p>Every test writes only below {@link #prefix()} ({@code
 * conformance/<TestClass>/<method>-<id>}), which is unique per test execution, so tests can share
 * one server, run in any order, and never see each other's keys. After each test every store opened
 * through {@link #openStore()} or {@link #store()} is closed, and (best effort, through one more
 * fresh store) the test's prefix is deleted.
 *
 * <p>Waits for asynchronous outcomes are generous ({@link #AWAIT}) because conformance runs on
 * loaded CI machines; a conforming backend passes them quickly, the bound only decides how long a
 * failing one takes to fail.
 */
public abstract class StoreContract {

  /** The upper bound for every wait on an asynchronous outcome. */
  public static final Duration AWAIT = Duration.ofSeconds(30);

  /** The upper bound for the concurrent tests (many round trips on a loaded machine). */
  public static final Duration CONCURRENT_AWAIT = Duration.ofMinutes(3);

  /** Distinguishes this JVM's runs from earlier ones against a long-lived server. */
  private static final String RUN_ID =
      Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, 1L << 41), 36);

  private static final AtomicLong TEST_COUNTER = new AtomicLong();
  private static final AtomicInteger THREAD_COUNTER = new AtomicInteger();

  private final List<Store> openedStores = Collections.synchronizedList(new ArrayList<>());
  // Set by each test's @BeforeEach.
  private @Nullable Store defaultStore;
  private @Nullable String prefix;
  private @Nullable ExecutorService background;

  /**
   * Opens a new, independent store (its own connections, watches and locks) on the backend under
   * test. Called once per {@link #openStore()}; the suite closes what it returns.
   */
  protected abstract Store newStore();

  /**
   * What the backend under test declares about itself where backends may differ ({@link
   * BackendTraits}); the contracts branch on these and nothing else. Override to declare the
   * backend's traits; the default is {@link BackendTraits#DEFAULT}.
   */
  protected BackendTraits traits() {
    return BackendTraits.DEFAULT;
  }

  /** Opens one more store through {@link #newStore()}; it is closed after the test. */
  protected final Store openStore() {
    Store store = Objects.requireNonNull(newStore(), "newStore() returned null");
    openedStores.add(store);
    return store;
  }

  /** Closes {@code store} after the test, with the stores opened through {@link #openStore()}. */
  protected final <S extends Store> S closeAfterTest(S store) {
    openedStores.add(Objects.requireNonNull(store, "store"));
    return store;
  }

  /** The current test's default store, opened on first use and closed after the test. */
  protected final synchronized Store store() {
    Store store = defaultStore;
    if (store == null) {
      store = openStore();
      defaultStore = store;
    }
    return store;
  }

  /** The current test's own directory, without leading or trailing {@code /}. */
  protected final String prefix() {
    String current = prefix;
    if (current == null) {
      throw new IllegalStateException("no test is running: the prefix is set before each test");
    }
    return current;
  }

  /** {@code relative} below the current test's {@link #prefix()}. */
  protected final String key(String relative) {
    return prefix + "/" + relative;
  }

  @BeforeEach
  protected final void startStoreContractTest(TestInfo testInfo) {
    String className = getClass().getSimpleName();
    if (className.isEmpty()) {
      className = "Anonymous";
    }
    String methodName = testInfo.getTestMethod().map(Method::getName).orElse("test");
    prefix =
        "conformance/"
            + className
            + "/"
            + methodName
            + "-"
            + RUN_ID
            + "-"
            + TEST_COUNTER.incrementAndGet();
  }

  @AfterEach
  protected final void finishStoreContractTest() throws InterruptedException {
    if (background != null) {
      background.shutdownNow();
      background.awaitTermination(AWAIT.toSeconds(), TimeUnit.SECONDS);
    }
    List<Store> toClose;
    synchronized (openedStores) {
      toClose = new ArrayList<>(openedStores);
      openedStores.clear();
    }
    Collections.reverse(toClose);
    RuntimeException closeFailure = null;
    for (Store store : toClose) {
      try {
        store.close();
      } catch (RuntimeException e) {
        if (closeFailure == null) {
          closeFailure = e;
        } else {
          closeFailure.addSuppressed(e);
        }
      }
    }
    if (cleanUpAfterEachTest()) {
      deleteTestPrefix();
    }
    if (closeFailure != null) {
      throw closeFailure;
    }
  }

  /**
   * Whether to delete the test's prefix after each test (through a fresh store). Override to return
   * {@code false} when the server is thrown away anyway.
   */
  protected boolean cleanUpAfterEachTest() {
    return true;
  }

  private void deleteTestPrefix() {
    try (Store cleaner = newStore()) {
      cleaner.deleteTree(prefix());
    } catch (KeyNotFoundException e) {
      // the test wrote nothing
    } catch (RuntimeException e) {
      // best effort: the prefix is unique, leftovers cannot disturb other tests
    }
  }

  /** Runs {@code task} on a background thread that is interrupted after the test. */
  protected final synchronized <T> Future<T> inBackground(Callable<T> task) {
    if (background == null) {
      background =
          Executors.newCachedThreadPool(
              runnable -> {
                Thread thread =
                    new Thread(
                        runnable, "conformance-background-" + THREAD_COUNTER.incrementAndGet());
                thread.setDaemon(true);
                return thread;
              });
    }
    return background.submit(task);
  }

  /** An Awaitility condition factory bounded by {@link #AWAIT}. */
  protected static ConditionFactory eventually() {
    return eventually(AWAIT);
  }

  /** An Awaitility condition factory bounded by {@code atMost}, polling every 100 ms. */
  protected static ConditionFactory eventually(Duration atMost) {
    return Awaitility.await()
        .atMost(atMost)
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(100));
  }

  /** The UTF-8 bytes of {@code text}. */
  protected static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** The keys of a listing, in order. */
  protected static List<String> keysOf(List<KVPair> pairs) {
    return Listings.keys(pairs);
  }

  /** Asserts byte-exact equality with a readable message even for large values. */
  protected static void assertSameBytes(byte[] actual, byte[] expected) {
    assertThat(actual).as("value length").hasSize(expected.length);
    assertThat(Arrays.mismatch(actual, expected))
        .as("index of the first differing byte")
        .isEqualTo(-1);
  }
}
