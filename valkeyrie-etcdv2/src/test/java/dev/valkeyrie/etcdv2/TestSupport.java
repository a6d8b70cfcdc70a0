package dev.valkeyrie.etcdv2;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/** What the backend's scenario tests (cluster, faults) share: bytes, timing, threads, figures. */
public final class TestSupport {
  private TestSupport() {}

  public static byte[] utf8(String text) {
    return text.getBytes(UTF_8);
  }

  public static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  /**
   * Prints a measured figure on one line starting with {@code FIGURE:}, for grepping from {@code
   * target/surefire-reports/*-output.txt}.
   */
  public static void figure(String format, Object... args) {
    System.out.println("FIGURE: " + String.format(Locale.ROOT, format, args));
  }

  /** What a thread of its own runs. */
  @FunctionalInterface
  public interface Task<T> {
    T call() throws Exception;
  }

  /**
   * Runs {@code task} on a new daemon thread (not the common pool, which has one thread on a 2-core
   * machine); the future completes with its result or failure.
   */
  public static <T> CompletableFuture<T> onThread(String name, Task<T> task) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                result.complete(task.call());
              } catch (Throwable e) {
                result.completeExceptionally(e);
              }
            },
            "test-" + name);
    thread.setDaemon(true);
    thread.start();
    return result;
  }
}
