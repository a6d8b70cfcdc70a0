package dev.valkeyrie.etcd.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * Minimal HTTP for the launcher's own requests to members (probes, member and auth changes).
 * HttpURLConnection rather than java.net.http: the latter keeps a selector thread per client alive
 * until garbage collection, and this module promises to leave no threads behind.
 *
 * <p>Immutable. Only {@code 127.0.0.1} may be contacted. Over https the server's chain is verified
 * against the configured CA, but not its host name: members may serve a deliberately mismatching
 * certificate (to test a client's host name check), and the launcher must still see them start.
 */
final class LoopbackHttp {
  /** Plain http, no credentials. */
  static final LoopbackHttp PLAIN = new LoopbackHttp(null, null);

  private final @Nullable SSLContext tls;
  private final @Nullable String authorization;

  record Response(int status, String body) {
    boolean isSuccess() {
      return status >= 200 && status < 300;
    }
  }

  private LoopbackHttp(@Nullable SSLContext tls, @Nullable String authorization) {
    this.tls = tls;
    this.authorization = authorization;
  }

  /** The same, trusting and presenting what {@code tls} holds for https URLs. */
  LoopbackHttp withTls(SSLContext context) {
    return new LoopbackHttp(context, authorization);
  }

  /** The same, sending HTTP Basic credentials preemptively (etcd never challenges). */
  LoopbackHttp withBasicAuth(String user, String password) {
    String credentials = user + ":" + password;
    return new LoopbackHttp(
        tls,
        "Basic "
            + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
  }

  Response get(URI uri, Duration timeout) throws IOException {
    return send("GET", uri, null, null, timeout);
  }

  Response delete(URI uri, Duration timeout) throws IOException {
    return send("DELETE", uri, null, null, timeout);
  }

  /** PUT with an {@code application/x-www-form-urlencoded} body, as the v2 keys API wants. */
  Response putForm(URI uri, String form, Duration timeout) throws IOException {
    return send("PUT", uri, "application/x-www-form-urlencoded", form, timeout);
  }

  /** PUT with a JSON body, as the v2 auth API wants. */
  Response putJson(URI uri, String json, Duration timeout) throws IOException {
    return send("PUT", uri, "application/json", json, timeout);
  }

  /** POST with a JSON body, as the v2 members API wants. */
  Response postJson(URI uri, String json, Duration timeout) throws IOException {
    return send("POST", uri, "application/json", json, timeout);
  }

  @Override
  public String toString() {
    return "LoopbackHttp[tls=" + (tls != null) + ", credentials=" + (authorization != null) + "]";
  }

  private Response send(
      String method, URI uri, @Nullable String contentType, @Nullable String body, Duration timeout)
      throws IOException {
    if (!"127.0.0.1".equals(uri.getHost())) {
      throw new IllegalArgumentException("only 127.0.0.1 may be contacted, not " + uri);
    }
    // NO_PROXY: http.proxyHost settings must never route loopback probes elsewhere.
    HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
    try {
      if (connection instanceof HttpsURLConnection https) {
        if (tls == null) {
          throw new IllegalStateException("no TLS configured for the launcher's request to " + uri);
        }
        https.setSSLSocketFactory(tls.getSocketFactory());
        // The chain is checked against the CA; the host is always 127.0.0.1 (checked above).
        https.setHostnameVerifier((host, session) -> true);
      }
      int millis = (int) Math.max(1, timeout.toMillis());
      connection.setConnectTimeout(millis);
      connection.setReadTimeout(millis);
      connection.setUseCaches(false);
      connection.setInstanceFollowRedirects(false);
      // No keep-alive: nothing to cache, so no JDK keep-alive timer thread lingers afterwards.
      connection.setRequestProperty("Connection", "close");
      connection.setRequestMethod(method);
      if (authorization != null) {
        connection.setRequestProperty("Authorization", authorization);
      }
      if (body != null) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        connection.setDoOutput(true);
        connection.setFixedLengthStreamingMode(bytes.length);
        connection.setRequestProperty("Content-Type", contentType);
        try (OutputStream out = connection.getOutputStream()) {
          out.write(bytes);
        }
      }
      int status = connection.getResponseCode();
      InputStream stream =
          status >= 400 ? connection.getErrorStream() : connection.getInputStream();
      String text = "";
      if (stream != null) {
        try (InputStream in = stream) {
          text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      }
      return new Response(status, text);
    } finally {
      connection.disconnect();
    }
  }
}
