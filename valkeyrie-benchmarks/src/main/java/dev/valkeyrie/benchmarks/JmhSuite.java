package dev.valkeyrie.benchmarks;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/** Runs the JMH benchmarks with the GC profiler and returns time and bytes per operation. */
public final class JmhSuite {
  private JmhSuite() {}

  /**
   * One benchmark's result.
   *
   * @param bytesPerOp {@code gc.alloc.rate.norm}: bytes allocated per operation in the JVM
   */
  public record Row(String benchmark, double score, String unit, double bytesPerOp) {}

  /**
   * How long to run.
   *
   * @param forks 0 runs in this JVM (for the smoke test); 1 in a fresh JVM
   */
  public record Settings(
      int forks,
      int warmupIterations,
      TimeValue warmupTime,
      int iterations,
      TimeValue iterationTime) {}

  public static Settings full() {
    return new Settings(1, 3, TimeValue.seconds(1), 5, TimeValue.seconds(1));
  }

  public static Settings quick() {
    return new Settings(1, 1, TimeValue.milliseconds(500), 2, TimeValue.milliseconds(500));
  }

  public static List<Row> run(Settings settings, PrintStream log) throws Exception {
    ChainedOptionsBuilder options =
        new OptionsBuilder()
            .include("dev\\.valkeyrie\\.etcdv2\\.CodecBenchmarks\\..*")
            .include("dev\\.valkeyrie\\.benchmarks\\.jmh\\.EndToEndBenchmarks\\..*")
            .forks(settings.forks())
            .warmupIterations(settings.warmupIterations())
            .warmupTime(settings.warmupTime())
            .measurementIterations(settings.iterations())
            .measurementTime(settings.iterationTime())
            .threads(1)
            .addProfiler(GCProfiler.class)
            .verbosity(VerboseMode.SILENT)
            .jvmArgsAppend("-Xmx1g");
    Collection<RunResult> results = new Runner(options.build()).run();
    List<Row> rows = new ArrayList<>();
    for (RunResult r : results) {
      String name = r.getParams().getBenchmark();
      name = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
      Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
      Row row =
          new Row(
              name,
              r.getPrimaryResult().getScore(),
              r.getPrimaryResult().getScoreUnit(),
              alloc == null ? -1 : alloc.getScore());
      log.printf(
          "  jmh %-40s %12.3f %-6s %10.0f B/op%n",
          row.benchmark(), row.score(), row.unit(), row.bytesPerOp());
      rows.add(row);
    }
    return rows;
  }
}
