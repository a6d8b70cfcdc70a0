package dev.valkeyrie.benchmarks;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * Drives a {@link BlockingClient} from {@code concurrency} threads, each sending its next request
 * as soon as the previous one is answered (a closed loop, like wrk's connections). A warm-up phase
 * is discarded, then requests that start and end inside the measured window are counted and their
 * latencies recorded in HdrHistograms.
 *
 * <p>Every loop is bounded in time and in count; the threads stop by themselves.
 */
public final class ClosedLoop {
  /** Safety bound on requests per thread, whatever the durations. */
  static final long MAX_REQUESTS_PER_THREAD = 50_000_000L;

  /** Latencies from 1 us to 60 s, 3 significant digits. */
  private static final long HIGHEST_MICROS = TimeUnit.SECONDS.toMicros(60);

  private ClosedLoop() {}

  public static Measurement run(
      BlockingClient client, Workload workload, int concurrency, Duration warmup, Duration measure)
      throws InterruptedException {
    return run(client, workload, concurrency, warmup, measure, ServerCpu.NONE);
  }

  /** As above, also measuring what etcd spent in the window. */
  public static Measurement run(
      BlockingClient client,
      Workload workload,
      int concurrency,
      Duration warmup,
      Duration measure,
      ServerCpu server)
      throws InterruptedException {
    Result r =
        drive(
            client.name(),
            workload.toString(),
            () -> client.call(workload),
            concurrency,
            warmup,
            measure,
            server);
    return new Measurement(
        client.name(),
        workload,
        concurrency,
        r.opsPerSecond(),
        r.p50Micros(),
        r.p99Micros(),
        r.operations(),
        r.errors(),
        r.cpuMicrosPerOp(),
        r.serverCpuMicrosPerOp());
  }

  /** One blocking request; an exception counts as an error. */
  @FunctionalInterface
  public interface Call {
    void call() throws Exception;
  }

  /** What {@link #drive} measured; the fields are those of {@link Measurement}. */
  public record Result(
      double opsPerSecond,
      double p50Micros,
      double p99Micros,
      long operations,
      long errors,
      double cpuMicrosPerOp,
      double serverCpuMicrosPerOp) {}

  /**
   * Drives {@code call} from {@code concurrency} threads in a closed loop: the core of {@link
   * #run}, for requests that are not one of the v2 {@link Workload}s.
   *
   * @param name the client's name, for thread names and messages
   * @param what the workload's name, for messages
   */
  public static Result drive(
      String name,
      String what,
      Call call,
      int concurrency,
      Duration warmup,
      Duration measure,
      ServerCpu server)
      throws InterruptedException {
    List<Histogram> histograms = new ArrayList<>();
    AtomicLong errors = new AtomicLong();
    AtomicReference<Throwable> firstError = new AtomicReference<>();
    CountDownLatch ready = new CountDownLatch(concurrency);
    CountDownLatch go = new CountDownLatch(1);
    long[] window = new long[2];
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < concurrency; t++) {
      Histogram histogram = new Histogram(HIGHEST_MICROS, 3);
      histograms.add(histogram);
      Thread thread =
          new Thread(
              () -> {
                ready.countDown();
                try {
                  go.await();
                } catch (InterruptedException e) {
                  return;
                }
                long measureStart = window[0];
                long measureEnd = window[1];
                for (long n = 0; n < MAX_REQUESTS_PER_THREAD; n++) {
                  long start = System.nanoTime();
                  if (start >= measureEnd) {
                    break;
                  }
                  try {
                    call.call();
                  } catch (Exception e) {
                    errors.incrementAndGet();
                    firstError.compareAndSet(null, e);
                    continue;
                  }
                  long end = System.nanoTime();
                  if (start >= measureStart && end <= measureEnd) {
                    histogram.recordValue(
                        Math.min(HIGHEST_MICROS, Math.max(1, (end - start) / 1000)));
                  }
                }
              },
              "bench-" + name + "-" + t);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
    ready.await();
    long now = System.nanoTime();
    window[0] = now + warmup.toNanos();
    window[1] = window[0] + measure.toNanos();
    go.countDown(); // happens-before: the threads see window[]
    // The client's CPU cost per request, which the shared machine's noise affects far less than
    // throughput: this JVM's CPU time over the measured window (the driver's own share is small).
    sleepUntil(window[0]);
    long cpuStart = processCpuNanos();
    long serverStart = server.nanos();
    sleepUntil(window[1]);
    long cpuEnd = processCpuNanos();
    long serverEnd = server.nanos();
    long joinMillis = warmup.plus(measure).toMillis() + 30_000;
    for (Thread thread : threads) {
      thread.join(Math.max(1, joinMillis - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - now)));
      if (thread.isAlive()) {
        thread.interrupt();
        throw new IllegalStateException(
            name + " did not finish " + what + " within " + joinMillis + " ms");
      }
    }
    Histogram all = new Histogram(HIGHEST_MICROS, 3);
    histograms.forEach(all::add);
    if (all.getTotalCount() == 0 && firstError.get() != null) {
      throw new IllegalStateException(
          name + " failed every " + what + " request", firstError.get());
    }
    double seconds = measure.toNanos() / 1e9;
    return new Result(
        all.getTotalCount() / seconds,
        all.getValueAtPercentile(50),
        all.getValueAtPercentile(99),
        all.getTotalCount(),
        errors.get(),
        ServerCpu.microsPerOp(cpuStart, cpuEnd, all.getTotalCount()),
        ServerCpu.microsPerOp(serverStart, serverEnd, all.getTotalCount()));
  }

  private static void sleepUntil(long nanoTime) throws InterruptedException {
    for (long left = nanoTime - System.nanoTime(); left > 0; left = nanoTime - System.nanoTime()) {
      TimeUnit.NANOSECONDS.sleep(left);
    }
  }

  /** This JVM's CPU time, or -1 when the platform does not say. */
  static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }
}
