package dev.valkeyrie.etcdv2;

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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SchemePortResolver;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.DefaultHttpClientConnectionOperator;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.io.HttpClientConnectionOperator;
import org.apache.hc.client5.http.io.ManagedHttpClientConnection;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.HttpsSupport;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.concurrent.Cancellable;
import org.apache.hc.core5.concurrent.CancellableDependency;
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
import org.jspecify.annotations.Nullable;

/**
 * Exchanges run in the calling thread, on Apache HttpClient 5's classic (blocking) client over a
 * bounded pool of keep-alive connections per endpoint. Starts no thread.
 *
 * <p>Each exchange is bounded by its call's deadline as a whole: {@link Deadlines} cancels the
 * request when the deadline passes, which closes its connection and ends whatever the calling
 * thread was blocked in (connecting, the TLS handshake, writing, or reading the headers or the
 * body). Socket timeouts alone bound only each silence, so a server trickling its answer could hold
 * the caller for as long as it liked.
 *
 * <p>Whether any byte of the request was written is recorded by the connection itself ({@link
 * CheckedConnection#sendRequestHeader}), so a failure is reported as {@link NothingSentException}
 * only when the server cannot have seen the request.
 *
 * <p>A pooled connection may have been closed by etcd while it sat idle (etcd closes connections
 * only when it stops, so this happens after a member restart). A request sent on such a connection
 * fails after sending, which for a write means "outcome unknown". The classic client's own check
 * before reuse blocks for a millisecond on every healthy connection, so it is replaced here by a
 * non-blocking read on the connection's socket channel, made when a connection is reused after 100
 * ms or more of rest. Over TLS the read goes around the TLS layer: nothing is due on an idle
 * connection, so any byte (a close alert) or the end of the stream means it must go.
 */
final class CallerThreadExchanges {
  private static final ManagedHttpClientConnectionFactory CONNECTIONS =
      new ManagedHttpClientConnectionFactory(
          // Bounded lines and headers: a misbehaving server cannot make a head grow without end.
          Http1Config.custom().setMaxLineLength(64 * 1024).setMaxHeaderCount(256).build(),
          CharCodingConfig.DEFAULT,
          EtcdResponseParser::new);
  private static final TimeValue VALIDATE_AFTER = TimeValue.ofMilliseconds(100);
  private final PoolingHttpClientConnectionManager pool;
  private final CloseableHttpClient client;
  private final @Nullable String authorization;
  private final Timeout connectTimeout;
  private final Deadlines deadlines;

  /**
   * @param tls the TLS context for {@code https} endpoints, or {@code null} for plain HTTP only
   */
  CallerThreadExchanges(
      int maxConnectionsPerEndpoint,
      Duration connectTimeout,
      @Nullable SSLContext tls,
      @Nullable String authorization,
      Deadlines deadlines) {
    this.authorization = authorization;
    this.connectTimeout = Timeout.of(connectTimeout);
    this.deadlines = deadlines;
    ChannelSocketPoolBuilder builder = new ChannelSocketPoolBuilder();
    if (tls != null) {
      // Host names verified, as on the non-blocking client.
      builder.setTlsSocketStrategy(
          new DefaultClientTlsStrategy(tls, HttpsSupport.getDefaultHostnameVerifier()));
    }
    this.pool =
        builder
            // The lax pool leases without a pool-wide lock: with dozens of calling threads the
            // strict pool's one lock was contended on every request.
            .setPoolConcurrencyPolicy(PoolConcurrencyPolicy.LAX)
            .setMaxConnPerRoute(maxConnectionsPerEndpoint)
            .setMaxConnTotal(maxConnectionsPerEndpoint * 8)
            .setConnectionFactory(
                socket -> new CheckedConnection(CONNECTIONS.createConnection(socket)))
            .setDefaultConnectionConfig(
                ConnectionConfig.custom()
                    .setConnectTimeout(this.connectTimeout)
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

  /**
   * The exchange, done in this thread, ended by the call's deadline at the latest.
   *
   * @throws NothingSentException if no byte of the request reached an established connection
   * @throws NoAnswerException if the request was sent and no complete answer came
   */
  HttpResult exchange(HttpCall call) throws ExchangeException {
    long remaining = call.deadline() - deadlines.now();
    if (remaining <= 0) {
      throw new NothingSentException("no time left to send " + call.describe(), null, true);
    }
    // Host and path given apart: the client then neither parses nor rebuilds a URI.
    URI endpoint = call.endpoint();
    HttpHost target = new HttpHost(endpoint.getScheme(), endpoint.getHost(), endpoint.getPort());
    EtcdRequest request =
        new EtcdRequest(
            call.method(),
            call.target(),
            call.expectsContinue() ? call.continueDeadline() : 0,
            deadlines);
    HttpClientContext context = HttpClientContext.create();
    Timeout left = Timeout.ofNanoseconds(remaining);
    context.setRequestConfig(
        requestConfig(left, connectTimeout.compareTo(left) < 0 ? connectTimeout : left));
    request.setHeader(HttpHeaders.USER_AGENT, "valkeyrie-java");
    if (authorization != null) {
      request.setHeader(HttpHeaders.AUTHORIZATION, authorization);
    }
    if (call.formBody() != null) {
      request.setEntity(new ByteArrayEntity(call.formBody(), ApacheHttpTransport.FORM));
      if (call.expectsContinue()) {
        request.setHeader(HttpHeaders.EXPECT, "100-continue");
      }
    }
    Deadlines.Armed armed = deadlines.arm(call.deadline(), request::expire);
    try {
      return client.execute(target, request, context, CallerThreadExchanges::toResult);
    } catch (IOException | IllegalStateException e) {
      // IllegalStateException: the pool was shut down, the store is closing.
      throw failure(call, request, e);
    } finally {
      armed.disarm();
    }
  }

  @SuppressWarnings(
      "deprecation") // the per-request connect timeout, so a connect fits the deadline
  private static RequestConfig requestConfig(Timeout left, Timeout connect) {
    return RequestConfig.custom()
        .setResponseTimeout(left)
        .setConnectionRequestTimeout(left)
        .setConnectTimeout(connect)
        .setRedirectsEnabled(false)
        .setAuthenticationEnabled(false)
        .setContentCompressionEnabled(false)
        .build();
  }

  private static ExchangeException failure(HttpCall call, EtcdRequest request, Exception e) {
    boolean timedOut =
        request.expired()
            || e instanceof SocketTimeoutException
            || e instanceof ConnectionRequestTimeoutException;
    String message = call.describe() + (timedOut ? ": no answer before the deadline" : ": " + e);
    if (request.withheldBody()) {
      // Its head alone cannot take effect (see KeysRequest.expectsContinue).
      return new NothingSentException(
          call.describe() + ": the member did not ask for the body, which was never sent",
          e,
          timedOut);
    }
    return request.sent()
        ? new NoAnswerException(message, e, timedOut)
        : new NothingSentException(message, e, timedOut);
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

  /**
   * A request that the deadline can cancel (the classic client ties its connection to it) and that
   * learns from the connection whether any of it was sent.
   */
  private static final class EtcdRequest extends BasicClassicHttpRequest
      implements CancellableDependency {
    private static final long serialVersionUID = 1L;
    private final transient AtomicReference<Cancellable> dependency = new AtomicReference<>();
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final long continueDeadline;
    private final transient Deadlines clock;
    private volatile boolean sent;
    private volatile boolean bodySent;
    private volatile boolean expired;

    /**
     * @param continueDeadline when to stop waiting for {@code 100 Continue}; 0 for none
     */
    EtcdRequest(String method, String path, long continueDeadline, Deadlines clock) {
      super(method, path);
      this.continueDeadline = continueDeadline;
      this.clock = clock;
    }

    /** How long, from now, the body may still wait for {@code 100 Continue}. */
    Timeout continueWait() {
      return Timeout.ofNanoseconds(Math.max(1, continueDeadline - clock.now()));
    }

    void markBodySent() {
      bodySent = true;
    }

    /** Whether the head went out and the body, waiting for the server to ask, never did. */
    boolean withheldBody() {
      return continueDeadline != 0 && sent && !bodySent;
    }

    @Override
    public void setDependency(Cancellable cancellable) {
      if (!cancelled.get()) {
        dependency.set(cancellable);
      }
    }

    @Override
    public boolean isCancelled() {
      return cancelled.get();
    }

    @Override
    public boolean cancel() {
      if (!cancelled.compareAndSet(false, true)) {
        return false;
      }
      Cancellable current = dependency.getAndSet(null);
      if (current != null) {
        current.cancel();
      }
      return true;
    }

    /** The deadline passed: abort whatever the exchange is doing. */
    void expire() {
      expired = true;
      cancel();
    }

    boolean expired() {
      return expired;
    }

    void markSent() {
      sent = true;
    }

    boolean sent() {
      return sent;
    }
  }

  /** A pool whose plain sockets come from socket channels, so they can be polled. */
  private static final class ChannelSocketPoolBuilder
      extends PoolingHttpClientConnectionManagerBuilder {
    @Override
    protected HttpClientConnectionOperator createConnectionOperator(
        SchemePortResolver schemePortResolver,
        DnsResolver dnsResolver,
        TlsSocketStrategy tlsSocketStrategy) {
      return new DefaultHttpClientConnectionOperator(
          proxy ->
              proxy == null || proxy.type() == Proxy.Type.DIRECT
                  ? SocketChannel.open().socket()
                  : new Socket(proxy),
          schemePortResolver,
          dnsResolver,
          RegistryBuilder.<TlsSocketStrategy>create().register("https", tlsSocketStrategy).build());
    }
  }

  /**
   * The classic client's connection, with a health check that does not block: one non-blocking read
   * on the socket's channel. End of stream means etcd closed it; bytes mean something is out of
   * step (nothing is due between exchanges). Either way the pool discards it.
   */
  private static final class CheckedConnection implements ManagedHttpClientConnection {
    private final ManagedHttpClientConnection delegate;
    private final ByteBuffer probe = ByteBuffer.allocate(1);
    private volatile @Nullable SocketChannel plain;
    private volatile @Nullable EtcdRequest current; // the request of the exchange in progress

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
      delegate.bind(sslSocket, socket);
      // Polled around the TLS layer: on an idle connection nothing is due, so whatever is
      // there (a close alert, the end of the stream) means the connection must go.
      plain = socket.getChannel();
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
      if (request instanceof EtcdRequest etcd) {
        etcd.markSent(); // from here on, bytes may reach the server
        current = etcd;
      }
      delegate.sendRequestHeader(request);
    }

    @Override
    public void terminateRequest(ClassicHttpRequest request) throws HttpException, IOException {
      delegate.terminateRequest(request);
    }

    @Override
    public void sendRequestEntity(ClassicHttpRequest request) throws HttpException, IOException {
      if (request instanceof EtcdRequest etcd) {
        etcd.markBodySent();
      }
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

    /**
     * The classic client asks this only while a request waits for {@code 100 Continue}, and sends
     * the body anyway when it returns false. Here the body never goes unasked: the wait lasts until
     * the request's own limit, and ends with an exception if nothing came.
     */
    @Override
    public boolean isDataAvailable(Timeout timeout) throws IOException {
      EtcdRequest request = current;
      if (request == null || request.continueDeadline == 0) {
        return delegate.isDataAvailable(timeout);
      }
      if (!delegate.isDataAvailable(request.continueWait())) {
        throw new SocketTimeoutException("no 100 Continue before the deadline");
      }
      return true;
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
