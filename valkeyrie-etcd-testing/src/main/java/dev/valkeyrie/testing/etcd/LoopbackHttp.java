package dev.valkeyrie.testing.etcd;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Minimal HTTP for probing members. HttpURLConnection rather than java.net.http: the latter keeps
 * a selector thread per client alive until garbage collection, and this module promises to leave
 * no threads behind.
 */
final class LoopbackHttp {
  record Response(int status, String body) {
    boolean isSuccess() {
      return status >= 200 && status < 300;
    }
  }

  private LoopbackHttp() {}

  static Response get(URI uri, Duration timeout) throws IOException {
    return send("GET", uri, null, timeout);
  }

  static Response delete(URI uri, Duration timeout) throws IOException {
    return send("DELETE", uri, null, timeout);
  }

  /** PUT with an {@code application/x-www-form-urlencoded} body, as the v2 keys API wants. */
  static Response putForm(URI uri, String form, Duration timeout) throws IOException {
    return send("PUT", uri, form, timeout);
  }

  private static Response send(String method, URI uri, String form, Duration timeout)
      throws IOException {
    if (!"127.0.0.1".equals(uri.getHost())) {
      throw new IllegalArgumentException("only 127.0.0.1 may be contacted, not " + uri);
    }
    // NO_PROXY: http.proxyHost settings must never route loopback probes elsewhere.
    HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
    try {
      int millis = (int) Math.max(1, timeout.toMillis());
      connection.setConnectTimeout(millis);
      connection.setReadTimeout(millis);
      connection.setUseCaches(false);
      connection.setInstanceFollowRedirects(false);
      // No keep-alive: nothing to cache, so no JDK keep-alive timer thread lingers afterwards.
      connection.setRequestProperty("Connection", "close");
      connection.setRequestMethod(method);
      if (form != null) {
        byte[] body = form.getBytes(StandardCharsets.UTF_8);
        connection.setDoOutput(true);
        connection.setFixedLengthStreamingMode(body.length);
        connection.setRequestProperty("Content-Type", "application/x-www-form-urlencoded");
        try (OutputStream out = connection.getOutputStream()) {
          out.write(body);
        }
      }
      int status = connection.getResponseCode();
      InputStream stream =
          status >= 400 ? connection.getErrorStream() : connection.getInputStream();
      String body = "";
      if (stream != null) {
        try (InputStream in = stream) {
          body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      }
      return new Response(status, body);
    } finally {
      connection.disconnect();
    }
  }
}
