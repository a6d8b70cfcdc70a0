package dev.valkeyrie.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The raw HTTP ceiling: Debian's {@code wrk} (HTTP/1.1 keep-alive, one connection per unit of
 * concurrency, each sending its next request when the previous one is answered) on the same
 * requests. A Lua script sets the method and form body and prints the numbers in a form read back
 * here; a warm-up run is discarded.
 */
public final class Wrk {
  public static final String NAME = "wrk";
  private static final Pattern RESULT =
      Pattern.compile(
          "WRK_RESULT requests=(\\d+) duration_us=(\\d+) p50_us=(\\d+) p99_us=(\\d+) errors=(\\d+)");

  private final Path binary;
  private final Path workDir;

  public Wrk(Path binary, Path workDir) {
    this.binary = binary;
    this.workDir = workDir;
  }

  /** {@code /usr/bin/wrk}, or the {@code wrk} found on the PATH; {@code null} if there is none. */
  public static Path find() {
    List<Path> candidates = new ArrayList<>(List.of(Path.of("/usr/bin/wrk")));
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(":", -1)) {
        if (!dir.isEmpty()) { // an empty entry would mean the working directory
          candidates.add(Path.of(dir, "wrk"));
        }
      }
    }
    return candidates.stream().filter(Files::isExecutable).findFirst().orElse(null);
  }

  /**
   * wrk's threads for a concurrency: one event loop per core at most (the machine is shared with
   * etcd), never more threads than connections.
   */
  static int threadsFor(int concurrency) {
    return Math.min(
        concurrency, Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors())));
  }

  public Measurement run(
      String endpoint,
      Workload workload,
      int concurrency,
      Duration warmup,
      Duration measure,
      ServerCpu server)
      throws IOException, InterruptedException {
    Path script = writeScript(workload);
    String url = endpoint + workload.pathAndQuery();
    if (!warmup.isZero()) {
      exec(script, url, concurrency, warmup);
    }
    long serverStart = server.nanos();
    String output = exec(script, url, concurrency, measure);
    long serverEnd = server.nanos();
    Matcher m = RESULT.matcher(output);
    if (!m.find()) {
      throw new IllegalStateException("wrk printed no result:\n" + output);
    }
    long requests = Long.parseLong(m.group(1));
    double seconds = Long.parseLong(m.group(2)) / 1e6;
    long errors = Long.parseLong(m.group(5));
    // (etcd's CPU is read around the whole wrk process: its start and end add a few milliseconds)
    return new Measurement(
        NAME,
        workload,
        concurrency,
        (requests - errors) / seconds,
        Double.parseDouble(m.group(3)),
        Double.parseDouble(m.group(4)),
        requests - errors,
        errors,
        -1,
        ServerCpu.microsPerOp(serverStart, serverEnd, requests));
  }

  private String exec(Path script, String url, int concurrency, Duration duration)
      throws IOException, InterruptedException {
    long seconds = Math.max(1, (duration.toMillis() + 999) / 1000); // wrk counts whole seconds
    List<String> command =
        List.of(
            binary.toString(),
            "-t" + threadsFor(concurrency),
            "-c" + concurrency,
            "-d" + seconds + "s",
            "--timeout",
            "10s",
            "-s",
            script.toString(),
            url);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out;
    try (var in = process.getInputStream()) {
      out = in.readAllBytes(); // wrk ends by itself after -d; the wait below bounds it anyway
    }
    if (!process.waitFor(seconds + 30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      throw new IllegalStateException("wrk did not end: " + command);
    }
    String text = new String(out, StandardCharsets.UTF_8);
    if (process.exitValue() != 0) {
      throw new IllegalStateException(
          "wrk failed (exit " + process.exitValue() + "): " + command + "\n" + text);
    }
    return text;
  }

  private Path writeScript(Workload workload) throws IOException {
    StringBuilder lua = new StringBuilder();
    lua.append("wrk.method = \"").append(workload.method()).append("\"\n");
    byte[] body = workload.formBody();
    if (body != null) {
      lua.append("wrk.body = \"")
          .append(new String(body, StandardCharsets.US_ASCII))
          .append("\"\n");
      lua.append("wrk.headers[\"Content-Type\"] = \"application/x-www-form-urlencoded\"\n");
    }
    lua.append(
        """
        done = function(summary, latency, requests)
          local e = summary.errors
          io.write(string.format(
            "WRK_RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d errors=%d\\n",
            summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
            e.connect + e.read + e.write + e.status + e.timeout))
        end
        """);
    Path script = workDir.resolve("wrk-" + workload.name().toLowerCase(Locale.ROOT) + ".lua");
    Files.writeString(script, lua.toString());
    return script;
  }
}
