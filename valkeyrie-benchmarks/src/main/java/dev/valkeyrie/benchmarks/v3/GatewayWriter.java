package dev.valkeyrie.benchmarks.v3;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Seeds keys and makes the watch test's changes through etcd's JSON gateway ({@code /v3/kv/*}) with
 * the JDK's HTTP client: a writer that is neither of the transports under test, so their thread
 * counts and heap are not mixed with the writer's.
 */
final class GatewayWriter implements AutoCloseable {
  private static final Pattern REVISION = Pattern.compile("\"revision\":\"(\\d+)\"");

  private final URI base;
  private final ExecutorService executor;
  private final HttpClient http;

  GatewayWriter(String endpoint) {
    this.base = URI.create(endpoint);
    this.executor =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "probe-writer-http");
              t.setDaemon(true);
              return t;
            });
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .executor(executor)
            .build();
  }

  /** Puts {@code value} at {@code key}; returns the new revision. */
  long put(String key, byte[] value) throws IOException, InterruptedException {
    return revision(
        post(
            "/v3/kv/put",
            "{\"key\":\""
                + b64(key.getBytes(StandardCharsets.UTF_8))
                + "\",\"value\":\""
                + b64(value)
                + "\"}"));
  }

  /** Puts {@code value} at every key in one txn (at most 128 keys); returns the revision. */
  long putAll(List<String> keys, byte[] value) throws IOException, InterruptedException {
    StringBuilder json = new StringBuilder("{\"success\":[");
    for (int i = 0; i < keys.size(); i++) {
      json.append(i == 0 ? "" : ",")
          .append("{\"request_put\":{\"key\":\"")
          .append(b64(keys.get(i).getBytes(StandardCharsets.UTF_8)))
          .append("\",\"value\":\"")
          .append(b64(value))
          .append("\"}}");
    }
    return revision(post("/v3/kv/txn", json.append("]}").toString()));
  }

  /**
   * etcd's own count of open watch streams and watchers ({@code
   * etcd_debugging_mvcc_watch_stream_total}, {@code etcd_debugging_mvcc_watcher_total}).
   */
  long[] watchGauges() throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(base.resolve("/metrics"))
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return new long[] {
      gauge(response.body(), "etcd_debugging_mvcc_watch_stream_total"),
      gauge(response.body(), "etcd_debugging_mvcc_watcher_total")
    };
  }

  private static long gauge(String metrics, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(metrics);
    return m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
  }

  /** The store's current revision. */
  long revision() throws IOException, InterruptedException {
    String key = b64("probe/".getBytes(StandardCharsets.UTF_8));
    return revision(post("/v3/kv/range", "{\"key\":\"" + key + "\",\"count_only\":true}"));
  }

  private String post(String path, String json) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(path + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }

  private static long revision(String body) throws IOException {
    Matcher m = REVISION.matcher(body);
    if (!m.find()) {
      throw new IOException("no revision in " + body);
    }
    return Long.parseLong(m.group(1));
  }

  private static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
