package dev.valkeyrie.benchmarks.stacks;

import dev.valkeyrie.etcdv2.internal.http.HttpCall;
import dev.valkeyrie.etcdv2.internal.http.HttpResult;
import dev.valkeyrie.etcdv2.internal.http.HttpTransport;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;

/**
 * Apache HttpClient 5's classic (blocking) client: the exchange runs in the calling thread, so
 * {@link #send} returns a completed future. For the HTTP-stack comparison: it cannot serve
 * long-poll watches without a thread each.
 */
public final class ApacheClassicTransport implements HttpTransport {
  private static final ContentType FORM = ContentType.create("application/x-www-form-urlencoded");
  private final PoolingHttpClientConnectionManager pool;
  private final CloseableHttpClient client;

  public ApacheClassicTransport(int maxConnections) {
    this.pool = PoolingHttpClientConnectionManagerBuilder.create()
        .setMaxConnPerRoute(maxConnections)
        .setMaxConnTotal(maxConnections)
        .setDefaultConnectionConfig(ConnectionConfig.custom()
            .setConnectTimeout(Timeout.ofSeconds(5)).build())
        .build();
    this.client = HttpClients.custom()
        .setConnectionManager(pool)
        .disableRedirectHandling()
        .disableAutomaticRetries()
        .disableCookieManagement()
        .disableAuthCaching()
        .disableConnectionState()
        .disableContentCompression()
        .build();
  }

  @Override
  public CompletableFuture<HttpResult> send(HttpCall call) {
    HttpUriRequestBase request = new HttpUriRequestBase(call.method(), call.uri());
    request.setConfig(RequestConfig.custom()
        .setResponseTimeout(Timeout.of(call.timeout()))
        .setConnectionRequestTimeout(Timeout.of(call.timeout()))
        .build());
    if (call.formBody() != null) {
      request.setEntity(new ByteArrayEntity(call.formBody(), FORM));
    }
    try {
      HttpResult result = client.execute(request, response -> {
        Header type = response.getFirstHeader("Content-Type");
        Header index = response.getFirstHeader("X-Etcd-Index");
        byte[] body = response.getEntity() == null
            ? new byte[0] : EntityUtils.toByteArray(response.getEntity());
        return new HttpResult(response.getCode(), type == null ? "" : type.getValue(),
            index == null ? -1 : Long.parseLong(index.getValue()), body);
      });
      return CompletableFuture.completedFuture(result);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public void close() {
    client.close(CloseMode.IMMEDIATE);
    pool.close(CloseMode.IMMEDIATE);
  }
}
