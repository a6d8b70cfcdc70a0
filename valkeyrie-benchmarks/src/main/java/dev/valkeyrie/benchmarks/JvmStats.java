package dev.valkeyrie.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

/** Threads, heap and allocation of this JVM, for the watch and memory measurements. */
public final class JvmStats {
  private JvmStats() {}

  /** Live threads. */
  public static int threads() {
    return ManagementFactory.getThreadMXBean().getThreadCount();
  }

  /** Live threads whose name starts with {@code prefix}. */
  public static long threadsNamed(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith(prefix))
        .count();
  }

  /** Heap in use after full collections (a few, until it stops shrinking). */
  public static long heapAfterGc() throws InterruptedException {
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(50);
      long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      if (used >= best) {
        break;
      }
      best = used;
    }
    return best;
  }

  /** Bytes allocated so far by every live thread of this JVM (-1 when the JVM cannot say). */
  public static long allocatedBytes() {
    if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean mx)
        || !mx.isThreadAllocatedMemorySupported()) {
      return -1;
    }
    long[] ids = mx.getAllThreadIds();
    return Arrays.stream(mx.getThreadAllocatedBytes(ids)).filter(b -> b > 0).sum();
  }

  public static String mib(long bytes) {
    return Math.abs(bytes) < 1 << 20
        ? String.format(java.util.Locale.ROOT, "%,d KiB", bytes >> 10)
        : String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }
}
