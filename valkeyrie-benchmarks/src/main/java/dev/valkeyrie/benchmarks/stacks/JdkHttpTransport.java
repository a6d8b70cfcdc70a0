package dev.valkeyrie.benchmarks.stacks;

import dev.valkeyrie.etcdv2.internal.http.HttpCall;
import dev.valkeyrie.etcdv2.internal.http.HttpResult;
import dev.valkeyrie.etcdv2.internal.http.HttpTransport;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;

/**
 * The JDK's {@code java.net.http} client behind the backend's transport seam, for the HTTP-stack
 * comparison only: on Java 17 it cannot be closed (its selector thread and connections live until
 * the client is garbage-collected), which the backend's {@code close()} contract forbids.
 */
public final class JdkHttpTransport implements HttpTransport {
  private final ExecutorService executor;
  private final HttpClient client;

  public JdkHttpTransport() {
    this.executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "jdk-http");
      t.setDaemon(true);
      return t;
    });
    this.client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(5))
        .executor(executor)
        .build();
  }

  @Override
  public CompletableFuture<HttpResult> send(HttpCall call) {
    HttpRequest.BodyPublisher body = call.formBody() == null
        ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofByteArray(call.formBody());
    HttpRequest.Builder request = HttpRequest.newBuilder(call.uri())
        .timeout(call.timeout())
        .method(call.method(), body);
    if (call.formBody() != null) {
      request.header("Content-Type", "application/x-www-form-urlencoded");
    }
    return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray())
        .handle((response, failure) -> {
          if (failure != null) {
            Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
            if (cause instanceof HttpTimeoutException) {
              throw new CompletionException(new TimeoutException(cause.getMessage()));
            }
            throw new CompletionException(cause);
          }
          return new HttpResult(
              response.statusCode(),
              response.headers().firstValue("Content-Type").orElse(""),
              response.headers().firstValueAsLong("X-Etcd-Index").orElse(-1),
              response.body());
        });
  }

  @Override
  public void close() {
    executor.shutdownNow(); // the client itself cannot be closed on Java 17
  }
}
