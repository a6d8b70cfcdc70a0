package dev.valkeyrie.etcd.launcher;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Plain java.net.http access to etcd's v2 keys API, independent of the code under test. */
final class V2Client {
  private static final Pattern VALUE = Pattern.compile("\"value\"\\s*:\\s*\"([^\"]*)\"");
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .proxy(HttpClient.Builder.NO_PROXY)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  private V2Client() {}

  static HttpResponse<String> put(String endpoint, String key, String value)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(endpoint + "/v2/keys/" + key))
            .timeout(Duration.ofSeconds(5))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .PUT(
                HttpRequest.BodyPublishers.ofString(
                    "value=" + URLEncoder.encode(value, StandardCharsets.UTF_8)))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> get(String endpoint, String pathAndQuery, Duration timeout)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(endpoint + pathAndQuery)).timeout(timeout).GET().build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** The value of {@code key}, or null if the response is not a 200 with a value. */
  static String value(String endpoint, String key, boolean quorum)
      throws IOException, InterruptedException {
    HttpResponse<String> response =
        get(endpoint, "/v2/keys/" + key + (quorum ? "?quorum=true" : ""), Duration.ofSeconds(5));
    if (response.statusCode() != 200) {
      return null;
    }
    Matcher m = VALUE.matcher(response.body());
    return m.find() ? m.group(1) : null;
  }
}
