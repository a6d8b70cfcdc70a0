package dev.valkeyrie.etcdv2.internal.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SchemePortResolver;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.DefaultHttpClientConnectionOperator;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.io.HttpClientConnectionOperator;
import org.apache.hc.client5.http.io.ManagedHttpClientConnection;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.apache.hc.core5.http.EndpointDetails;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.ProtocolVersion;
import org.apache.hc.core5.http.config.CharCodingConfig;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.config.RegistryBuilder;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.message.BasicClassicHttpRequest;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * Exchanges run in the calling thread, on Apache HttpClient 5's classic (blocking) client over a
 * bounded pool of keep-alive connections per endpoint. Starts no thread.
 *
 * <p>A pooled connection may have been closed by etcd while it sat idle (etcd closes connections
 * only when it stops, so this happens after a member restart). A request sent on such a
 * connection fails after sending, which for a write means "outcome unknown". The classic client's
 * own check before reuse blocks for a millisecond on every healthy connection, so it is replaced
 * here by a non-blocking read on the connection's socket channel, made when a connection is reused
 * after 100 ms or more of rest. That check needs the plain socket, so only {@code http://}
 * endpoints are served here.
 */
final class CallerThreadExchanges {
  private static final ManagedHttpClientConnectionFactory CONNECTIONS =
      new ManagedHttpClientConnectionFactory(Http1Config.DEFAULT, CharCodingConfig.DEFAULT,
          EtcdResponseParser::new);
  private static final TimeValue VALIDATE_AFTER = TimeValue.ofMilliseconds(100);
  private final PoolingHttpClientConnectionManager pool;
  private final CloseableHttpClient client;
  private final String authorization;

  CallerThreadExchanges(int maxConnectionsPerEndpoint, Duration connectTimeout,
      String authorization) {
    this.authorization = authorization;
    this.pool = new ChannelSocketPoolBuilder()
        // The lax pool leases without a pool-wide lock: with dozens of calling threads the
        // strict pool's one lock was contended on every request.
        .setPoolConcurrencyPolicy(PoolConcurrencyPolicy.LAX)
        .setMaxConnPerRoute(maxConnectionsPerEndpoint)
        .setMaxConnTotal(maxConnectionsPerEndpoint * 8)
        .setConnectionFactory(socket -> new CheckedConnection(CONNECTIONS.createConnection(socket)))
        .setDefaultConnectionConfig(
            ConnectionConfig.custom()
                .setConnectTimeout(Timeout.of(connectTimeout))
                // Check a connection before reuse once it has rested (see CheckedConnection):
                // etcd closes connections only when it stops, and a member that stopped within
                // the last 100 ms is found by the exchange itself. Under load connections never
                // rest that long, and the check's three system calls were a tenth of a GET.
                .setValidateAfterInactivity(VALIDATE_AFTER)
                .build())
        .setDefaultSocketConfig(
            SocketConfig.custom().setTcpNoDelay(true).setSoKeepAlive(true).build())
        .build();
    // The minimal client: connection management and the exchange, nothing else (no redirects,
    // retries, cookies, authentication or compression, which this library never wants), and no
    // thread of its own. Its shorter execution chain costs a third less CPU per request.
    this.client = HttpClients.createMinimal(pool);
  }

  /** Plain HTTP only: see the class comment. */
  boolean serves(HttpCall call) {
    return "http".equalsIgnoreCase(call.endpoint().getScheme());
  }

  /** The exchange, done in this thread; the timeout bounds each silence (lease, connect, read). */
  CompletableFuture<HttpResult> exchange(HttpCall call) {
    // Host and path given apart: the client then neither parses nor rebuilds a URI.
    URI endpoint = call.endpoint();
    HttpHost target = new HttpHost(endpoint.getScheme(), endpoint.getHost(), endpoint.getPort());
    BasicClassicHttpRequest request = new BasicClassicHttpRequest(call.method(), call.target());
    HttpClientContext context = HttpClientContext.create();
    context.setRequestConfig(ApacheHttpTransport.requestConfig(call));
    request.setHeader(HttpHeaders.USER_AGENT, "valkeyrie-java");
    if (authorization != null) {
      request.setHeader(HttpHeaders.AUTHORIZATION, authorization);
    }
    if (call.formBody() != null) {
      request.setEntity(new ByteArrayEntity(call.formBody(), ApacheHttpTransport.FORM));
    }
    try {
      return CompletableFuture.completedFuture(
          client.execute(target, request, context, CallerThreadExchanges::toResult));
    } catch (SocketTimeoutException | ConnectionRequestTimeoutException e) {
      return CompletableFuture.failedFuture(new TimeoutException(e.getMessage()).initCause(e));
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    } catch (IllegalStateException e) {
      // The pool was shut down: the store is closing. Report it like a closed connection.
      return CompletableFuture.failedFuture(new IOException(e.getMessage(), e));
    }
  }

  /** The body in one array of its announced length when there is one (etcd always sends it). */
  private static HttpResult toResult(ClassicHttpResponse response) throws IOException {
    HttpEntity entity = response.getEntity();
    byte[] body = ApacheHttpTransport.EMPTY;
    if (entity != null) {
      long length = entity.getContentLength();
      try (InputStream in = entity.getContent()) {
        if (length >= 0 && length <= Integer.MAX_VALUE - 8) {
          body = new byte[(int) length];
          if (in.readNBytes(body, 0, body.length) != body.length) {
            throw new ConnectionClosedException("response body ended before its length");
          }
        } else {
          body = in.readAllBytes();
        }
      }
    }
    return ApacheHttpTransport.result(response, body);
  }

  /** Closes every connection, also those a caller is reading from: that call fails at once. */
  void close() {
    client.close(CloseMode.IMMEDIATE);
    pool.close(CloseMode.IMMEDIATE);
  }

  /** A pool whose plain sockets come from socket channels, so they can be polled. */
  private static final class ChannelSocketPoolBuilder
      extends PoolingHttpClientConnectionManagerBuilder {
    @Override
    protected HttpClientConnectionOperator createConnectionOperator(
        SchemePortResolver schemePortResolver, DnsResolver dnsResolver,
        TlsSocketStrategy tlsSocketStrategy) {
      return new DefaultHttpClientConnectionOperator(
          proxy -> proxy == null || proxy.type() == Proxy.Type.DIRECT
              ? SocketChannel.open().socket()
              : new Socket(proxy),
          schemePortResolver,
          dnsResolver,
          RegistryBuilder.<TlsSocketStrategy>create().register("https", tlsSocketStrategy).build());
    }
  }

  /**
   * The classic client's connection, with a health check that does not block: one non-blocking
   * read on the socket's channel. End of stream means etcd closed it; bytes mean something is
   * out of step (nothing is due between exchanges). Either way the pool discards it.
   */
  private static final class CheckedConnection implements ManagedHttpClientConnection {
    private final ManagedHttpClientConnection delegate;
    private final ByteBuffer probe = ByteBuffer.allocate(1);
    private volatile SocketChannel plain;

    CheckedConnection(ManagedHttpClientConnection delegate) {
      this.delegate = delegate;
    }

    @Override
    public boolean isStale() throws IOException {
      SocketChannel channel = plain;
      if (channel == null) {
        return delegate.isStale();
      }
      if (!delegate.isOpen() || !channel.isOpen()) {
        return true;
      }
      synchronized (channel.blockingLock()) {
        try {
          channel.configureBlocking(false);
          probe.clear();
          return channel.read(probe) != 0;
        } catch (IOException e) {
          return true;
        } finally {
          if (channel.isOpen()) {
            channel.configureBlocking(true);
          }
        }
      }
    }

    @Override
    public void bind(Socket socket) throws IOException {
      delegate.bind(socket);
      plain = socket.getChannel();
    }

    @Override
    public void bind(SSLSocket sslSocket, Socket socket) throws IOException {
      plain = null; // TLS records must not be read around the TLS layer
      delegate.bind(sslSocket, socket);
    }

    @Override
    public Socket getSocket() {
      return delegate.getSocket();
    }

    @Override
    public SSLSession getSSLSession() {
      return delegate.getSSLSession();
    }

    @Override
    public void passivate() {
      delegate.passivate();
    }

    @Override
    public void activate() {
      delegate.activate();
    }

    @Override
    public boolean isConsistent() {
      return delegate.isConsistent();
    }

    @Override
    public void sendRequestHeader(ClassicHttpRequest request) throws HttpException, IOException {
      delegate.sendRequestHeader(request);
    }

    @Override
    public void terminateRequest(ClassicHttpRequest request) throws HttpException, IOException {
      delegate.terminateRequest(request);
    }

    @Override
    public void sendRequestEntity(ClassicHttpRequest request) throws HttpException, IOException {
      delegate.sendRequestEntity(request);
    }

    @Override
    public ClassicHttpResponse receiveResponseHeader() throws HttpException, IOException {
      return delegate.receiveResponseHeader();
    }

    @Override
    public void receiveResponseEntity(ClassicHttpResponse response)
        throws HttpException, IOException {
      delegate.receiveResponseEntity(response);
    }

    @Override
    public boolean isDataAvailable(Timeout timeout) throws IOException {
      return delegate.isDataAvailable(timeout);
    }

    @Override
    public void flush() throws IOException {
      delegate.flush();
    }

    @Override
    public void close() throws IOException {
      delegate.close();
    }

    @Override
    public void close(CloseMode closeMode) {
      delegate.close(closeMode);
    }

    @Override
    public EndpointDetails getEndpointDetails() {
      return delegate.getEndpointDetails();
    }

    @Override
    public SocketAddress getLocalAddress() {
      return delegate.getLocalAddress();
    }

    @Override
    public SocketAddress getRemoteAddress() {
      return delegate.getRemoteAddress();
    }

    @Override
    public ProtocolVersion getProtocolVersion() {
      return delegate.getProtocolVersion();
    }

    @Override
    public boolean isOpen() {
      return delegate.isOpen();
    }

    @Override
    public Timeout getSocketTimeout() {
      return delegate.getSocketTimeout();
    }

    @Override
    public void setSocketTimeout(Timeout timeout) {
      delegate.setSocketTimeout(timeout);
    }

    @Override
    public String toString() {
      return delegate.toString();
    }
  }
}
