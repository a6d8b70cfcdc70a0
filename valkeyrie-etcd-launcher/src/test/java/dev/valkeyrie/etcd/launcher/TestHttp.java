package dev.valkeyrie.etcd.launcher;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLContext;

/**
 * java.net.http access for the launcher's TLS and auth tests, independent of the code under test:
 * optional TLS context (host names verified, as any real client does) and Basic credentials.
 */
final class TestHttp {
  private final HttpClient client;
  private final String authorization;

  private TestHttp(HttpClient client, String authorization) {
    this.client = client;
    this.authorization = authorization;
  }

  static TestHttp plain() {
    return new TestHttp(builder().build(), null);
  }

  static TestHttp tls(SSLContext context) {
    return new TestHttp(builder().sslContext(context).build(), null);
  }

  TestHttp as(String user, String password) {
    String credentials = user + ":" + password;
    return new TestHttp(
        client,
        "Basic "
            + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
  }

  HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return client.send(request(url).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> put(String endpoint, String key, String value)
      throws IOException, InterruptedException {
    HttpRequest request =
        request(endpoint + "/v2/keys/" + key)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .PUT(HttpRequest.BodyPublishers.ofString("value=" + value))
            .build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> postJson(String url, String json) throws IOException, InterruptedException {
    HttpRequest request =
        request(url)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder request(String url) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5));
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    return builder;
  }

  private static HttpClient.Builder builder() {
    return HttpClient.newBuilder()
        .proxy(HttpClient.Builder.NO_PROXY)
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2));
  }
}
