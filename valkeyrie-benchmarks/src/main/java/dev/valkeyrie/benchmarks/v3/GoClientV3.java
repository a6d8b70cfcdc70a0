package dev.valkeyrie.benchmarks.v3;

import dev.valkeyrie.benchmarks.Measurement;
import dev.valkeyrie.benchmarks.ServerCpu;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * etcd's own Go client (clientv3 of etcd 3.4, from Debian's golang-etcd-server-dev) as the
 * reference of the v3 table: {@code src/go/clientv3load/main.go}, built in GOPATH mode into {@code
 * target/go/}, run once per cell as a child process that drives the member in a closed loop and
 * prints its figures as one JSON line.
 */
public final class GoClientV3 {
  public static final String NAME = "Go clientv3";

  /** Debian's Go sources of etcd and its dependencies. */
  static final String GOPATH = "/usr/share/gocode";

  private static final Pattern NUMBER = Pattern.compile("\"(\\w+)\":(-?[0-9.eE+-]+)");
  private static final Pattern FIRST_ERROR =
      Pattern.compile("\"first_error\":\"((?:[^\"\\\\]|\\\\.)*)\"");

  private final Path binary;

  private GoClientV3(Path binary) {
    this.binary = binary;
  }

  /**
   * The benchmark module's directory: the working directory under Maven, {@code
   * valkeyrie-benchmarks} under {@code bin/benchmark} (which runs from the repository's root).
   */
  public static Path moduleDirectory() {
    return Files.isDirectory(Path.of("src", "go")) ? Path.of(".") : Path.of("valkeyrie-benchmarks");
  }

  /**
   * Builds the load generator if its binary is missing or older than its source.
   *
   * @param module the benchmark module's directory (holding {@code src/go} and {@code target})
   * @throws IllegalStateException if Go or etcd's Go sources are not installed, or the build failed
   */
  public static GoClientV3 build(Path module) throws IOException, InterruptedException {
    Path source = module.resolve("src/go/clientv3load/main.go");
    Path binary = module.resolve("target/go/clientv3load");
    if (!Files.isRegularFile(source)) {
      throw new IllegalStateException("the Go load generator's source is not at " + source);
    }
    if (Files.isExecutable(binary)
        && Files.getLastModifiedTime(binary).compareTo(Files.getLastModifiedTime(source)) >= 0) {
      return new GoClientV3(binary);
    }
    if (!Files.isDirectory(Path.of(GOPATH, "src/go.etcd.io/etcd/clientv3"))) {
      throw new IllegalStateException(
          "etcd's Go client is not installed in "
              + GOPATH
              + ": run bin/setup --go (Debian's golang-go and golang-etcd-server-dev)");
    }
    Files.createDirectories(binary.getParent());
    ProcessBuilder go =
        new ProcessBuilder("go", "build", "-o", binary.toString(), source.toString())
            .redirectErrorStream(true);
    // GOPATH mode: the imports come from Debian's sources, nothing is downloaded.
    go.environment().putAll(Map.of("GOPATH", GOPATH, "GO111MODULE", "off", "GOFLAGS", ""));
    Process process;
    try {
      process = go.start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "Go is not installed: run bin/setup --go (Debian's golang-go)", e);
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(10, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IllegalStateException("go build did not finish in 10 minutes");
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException("go build of " + source + " failed:\n" + output);
    }
    return new GoClientV3(binary);
  }

  /**
   * Runs one cell: {@code concurrency} goroutines on one client, {@code warmup} discarded, then
   * {@code measure}; etcd's CPU read from {@code server} over the generator's measured window.
   */
  public Measurement run(
      String endpoint,
      V3Load workload,
      int concurrency,
      Duration warmup,
      Duration measure,
      ServerCpu server)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.addAll(
        List.of(
            binary.toString(),
            "-endpoint",
            endpoint,
            "-workload",
            workload.goName(),
            "-concurrency",
            Integer.toString(concurrency),
            "-warmup",
            warmup.toMillis() + "ms",
            "-duration",
            measure.toMillis() + "ms"));
    switch (workload) {
      case GET_SERIALIZABLE, GET_LINEARIZABLE -> command.addAll(List.of("-key", V3Load.GET_KEY));
      case PUT_100B ->
          command.addAll(
              List.of(
                  "-key", V3Load.PUT_KEY, "-value-size", Integer.toString(V3Load.VALUE.length)));
      case RANGE_1000 ->
          command.addAll(
              List.of(
                  "-prefix", V3Load.LIST_DIR + "/", "-expect", Integer.toString(V3Load.LIST_KEYS)));
    }
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    long serverStart = -1;
    long serverEnd = -1;
    String json = null;
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        switch (line) {
          case "window-start" -> serverStart = server.nanos();
          case "window-end" -> serverEnd = server.nanos();
          default -> json = line;
        }
      }
    } catch (IOException e) {
      process.destroyForcibly();
      throw e;
    }
    long bound = warmup.plus(measure).toMillis() + 60_000;
    if (!process.waitFor(bound, TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(
          NAME + " did not finish " + workload + " in " + bound + " ms");
    }
    if (process.exitValue() != 0 || json == null) {
      throw new IllegalStateException(
          NAME + " failed on " + workload + " (exit " + process.exitValue() + ")");
    }
    return parse(json, workload, concurrency, serverStart, serverEnd);
  }

  static Measurement parse(
      String json, V3Load workload, int concurrency, long serverStart, long serverEnd) {
    Map<String, Double> numbers = new java.util.HashMap<>();
    Matcher m = NUMBER.matcher(json);
    while (m.find()) {
      numbers.put(m.group(1), Double.parseDouble(m.group(2)));
    }
    long operations = numbers.getOrDefault("operations", 0.0).longValue();
    Matcher error = FIRST_ERROR.matcher(json);
    if (operations == 0 && error.find()) {
      throw new IllegalStateException(
          NAME + " failed every " + workload + " request: " + error.group(1));
    }
    return new Measurement(
        NAME,
        workload,
        concurrency,
        numbers.getOrDefault("ops_per_second", 0.0),
        numbers.getOrDefault("p50_us", 0.0),
        numbers.getOrDefault("p99_us", 0.0),
        operations,
        numbers.getOrDefault("errors", 0.0).longValue(),
        numbers.getOrDefault("cpu_us_per_op", -1.0),
        ServerCpu.microsPerOp(serverStart, serverEnd, operations));
  }
}
