package dev.valkeyrie.etcdv3;

import dev.valkeyrie.store.InvalidConfigurationException;
import dev.valkeyrie.store.StoreConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * Configuration of an etcd v3 store. Immutable; build with {@link #builder()}. {@code null} in
 * {@link EtcdV3Store#open} means {@link #defaults()}.
 *
 * <p>The options that {@code EtcdV2Config} also has mean the same here ({@code tls}, {@code
 * connectionTimeout}, {@code requestTimeout}, {@code syncPeriod}, {@code connectionLossTimeout},
 * {@code username}, {@code password}); the others are v3's own: gRPC keep-alive, the largest
 * message the store accepts, and the server's request size limit.
 */
public final class EtcdV3Config implements StoreConfig {

  /** etcd's default {@code --max-request-bytes}: 1.5 MiB. */
  public static final int DEFAULT_MAX_REQUEST_BYTES = 1_572_864;

  /** The shortest gRPC keep-alive interval etcd accepts without GOAWAY "too_many_pings". */
  public static final Duration MIN_KEEP_ALIVE_TIME = Duration.ofSeconds(10);

  private final @Nullable TlsSettings tls;
  private final Duration connectionTimeout;
  private final Duration requestTimeout;
  private final int maxOutstandingRequests;
  private final Duration syncPeriod;
  private final Duration connectionLossTimeout;
  private final Duration keepAliveTime;
  private final Duration keepAliveTimeout;
  private final int maxInboundMessageBytes;
  private final int maxRequestBytes;
  private final @Nullable String username;
  private final @Nullable String password;

  private EtcdV3Config(Builder b) {
    this.tls = b.tls;
    this.connectionTimeout = b.connectionTimeout;
    this.requestTimeout = b.requestTimeout;
    this.maxOutstandingRequests = b.maxOutstandingRequests;
    this.syncPeriod = b.syncPeriod;
    this.connectionLossTimeout = b.connectionLossTimeout;
    this.keepAliveTime = b.keepAliveTime;
    this.keepAliveTimeout = b.keepAliveTimeout;
    this.maxInboundMessageBytes = b.maxInboundMessageBytes;
    this.maxRequestBytes = b.maxRequestBytes;
    this.username = b.username;
    this.password = b.password;
  }

  /**
   * Plain gRPC, 5 s to connect, 10 s per request, no member sync, no credentials, keep-alive pings
   * every 10 s on connections with open streams (5 s to answer), 64 MiB messages.
   */
  public static EtcdV3Config defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Whether TLS is configured ({@code https} endpoints). */
  public boolean usesTls() {
    return tls != null;
  }

  @Nullable TlsSettings tls() {
    return tls;
  }

  /** How long a TCP connection (and its TLS handshake) to one member may take. */
  public Duration connectionTimeout() {
    return connectionTimeout;
  }

  /** How long one operation may take, including moving to another member. */
  public Duration requestTimeout() {
    return requestTimeout;
  }

  /**
   * The most asynchronous calls ({@link dev.valkeyrie.store.AsyncStore}) outstanding at once; a
   * call beyond it fails at once with {@link dev.valkeyrie.store.TooManyRequestsException}, nothing
   * sent.
   */
  public int maxOutstandingRequests() {
    return maxOutstandingRequests;
  }

  /**
   * How often to refresh the member list from etcd's {@code MemberList}; {@link Duration#ZERO} (the
   * default) for never. When set, the store also syncs once right after opening, so it can be given
   * one member of a cluster and find the others.
   */
  public Duration syncPeriod() {
    return syncPeriod;
  }

  /**
   * How long the store may be SUSPENDED (no member serving requests) before it reports LOST.
   * Default 20 seconds, the default lock TTL: by then, locks held through the outage have expired.
   */
  public Duration connectionLossTimeout() {
    return connectionLossTimeout;
  }

  /**
   * How often gRPC pings a member while a call or stream is open on its connection (never on an
   * idle one: etcd answers pings without streams with GOAWAY). At least 10 s; default 10 s.
   */
  public Duration keepAliveTime() {
    return keepAliveTime;
  }

  /** How long a ping may go unanswered before the connection is given up. Default 5 s. */
  public Duration keepAliveTimeout() {
    return keepAliveTimeout;
  }

  /**
   * The largest message the store accepts from etcd. gRPC's own default (4 MiB) is too small for a
   * page of large values or a big watch response; default 64 MiB.
   */
  public int maxInboundMessageBytes() {
    return maxInboundMessageBytes;
  }

  /**
   * The cluster's {@code --max-request-bytes} (default 1.5 MiB): larger writes are refused before
   * they are sent, with an exception naming the key.
   */
  public int maxRequestBytes() {
    return maxRequestBytes;
  }

  /** The user name, or {@code null}. */
  public @Nullable String username() {
    return username;
  }

  /** Whether a password is set. The password itself is not exposed. */
  public boolean hasPassword() {
    return password != null;
  }

  @Nullable String password() {
    return password;
  }

  @Override
  public String toString() {
    return "EtcdV3Config[tls="
        + (tls == null ? "none" : tls)
        + ", connectionTimeout="
        + connectionTimeout
        + ", requestTimeout="
        + requestTimeout
        + ", maxOutstandingRequests="
        + maxOutstandingRequests
        + ", syncPeriod="
        + syncPeriod
        + ", connectionLossTimeout="
        + connectionLossTimeout
        + ", keepAliveTime="
        + keepAliveTime
        + ", keepAliveTimeout="
        + keepAliveTimeout
        + ", maxInboundMessageBytes="
        + maxInboundMessageBytes
        + ", maxRequestBytes="
        + maxRequestBytes
        + ", username="
        + username
        + ", password="
        + (password == null ? "none" : "****")
        + "]";
  }

  /** Builds an {@link EtcdV3Config}. */
  public static final class Builder {
    private @Nullable TlsSettings tls;
    private Duration connectionTimeout = Duration.ofSeconds(5);
    private Duration requestTimeout = Duration.ofSeconds(10);
    private int maxOutstandingRequests = 1024;
    private Duration syncPeriod = Duration.ZERO;
    private Duration connectionLossTimeout = Duration.ofSeconds(20);
    private Duration keepAliveTime = MIN_KEEP_ALIVE_TIME;
    private Duration keepAliveTimeout = Duration.ofSeconds(5);
    private int maxInboundMessageBytes = 64 << 20;
    private int maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES;
    private @Nullable String username;
    private @Nullable String password;

    private Builder() {}

    /**
     * Talk to {@code https} endpoints with this context; {@code host:port} endpoints become https.
     * Server host names are verified.
     */
    public Builder tls(SSLContext tls) {
      this.tls = TlsSettings.of(Objects.requireNonNull(tls, "tls"));
      return this;
    }

    /**
     * Talk to {@code https} endpoints with certificates from PEM files, as etcdctl's {@code
     * --cacert}, {@code --cert} and {@code --key} take them. Server host names are verified.
     *
     * @param caCert the CA that signs the servers' certificates, or {@code null} for the JDK's
     *     trust store
     * @param clientCert the client certificate (chain) for mutual TLS, or {@code null}
     * @param clientKey its unencrypted private key (PKCS#8, or PKCS#1 for RSA), or {@code null}
     * @throws InvalidConfigurationException naming the file that cannot be used
     */
    public Builder tls(@Nullable Path caCert, @Nullable Path clientCert, @Nullable Path clientKey) {
      this.tls = TlsSettings.of(caCert, clientCert, clientKey);
      return this;
    }

    public Builder connectionTimeout(Duration timeout) {
      this.connectionTimeout = positive("connectionTimeout", timeout);
      return this;
    }

    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = positive("requestTimeout", timeout);
      return this;
    }

    /**
     * The most asynchronous calls ({@link dev.valkeyrie.store.AsyncStore}) outstanding at once; a
     * call beyond it fails at once with {@link dev.valkeyrie.store.TooManyRequestsException},
     * having sent nothing. Default 1,024: far more than one member answers concurrently with
     * benefit (a few hundred in flight already saturate it), while 1,024 pending calls with small
     * values hold only a few MiB, so a caller outrunning the cluster sees refusals long before
     * memory is at risk.
     *
     * @throws InvalidConfigurationException if {@code max} is below 1
     */
    public Builder maxOutstandingRequests(int max) {
      if (max < 1) {
        throw new InvalidConfigurationException(
            "maxOutstandingRequests must be at least 1, got " + max);
      }
      this.maxOutstandingRequests = max;
      return this;
    }

    public Builder syncPeriod(Duration period) {
      Objects.requireNonNull(period, "syncPeriod");
      if (period.isNegative()) {
        throw new InvalidConfigurationException("syncPeriod must not be negative: " + period);
      }
      this.syncPeriod = period;
      return this;
    }

    public Builder connectionLossTimeout(Duration timeout) {
      this.connectionLossTimeout = positive("connectionLossTimeout", timeout);
      return this;
    }

    /**
     * How often an idle connection is pinged to check that its member is still there.
     *
     * @throws InvalidConfigurationException if under 10 s: etcd ends connections that ping more
     *     often (GOAWAY "too_many_pings")
     */
    public Builder keepAliveTime(Duration time) {
      positive("keepAliveTime", time);
      if (time.compareTo(MIN_KEEP_ALIVE_TIME) < 0) {
        throw new InvalidConfigurationException(
            "keepAliveTime must be at least "
                + MIN_KEEP_ALIVE_TIME
                + ": etcd ends connections that ping more often (GOAWAY"
                + " too_many_pings), got "
                + time);
      }
      this.keepAliveTime = time;
      return this;
    }

    public Builder keepAliveTimeout(Duration timeout) {
      this.keepAliveTimeout = positive("keepAliveTimeout", timeout);
      return this;
    }

    /**
     * The largest response the store accepts.
     *
     * @throws InvalidConfigurationException if under 4 MiB
     */
    public Builder maxInboundMessageBytes(int bytes) {
      if (bytes < (4 << 20)) {
        throw new InvalidConfigurationException(
            "maxInboundMessageBytes must be at least 4 MiB (4194304), got " + bytes);
      }
      this.maxInboundMessageBytes = bytes;
      return this;
    }

    /** The cluster's {@code --max-request-bytes}, when it is not etcd's default. */
    public Builder maxRequestBytes(int bytes) {
      if (bytes < 1024) {
        throw new InvalidConfigurationException(
            "maxRequestBytes must be at least 1024, got " + bytes);
      }
      this.maxRequestBytes = bytes;
      return this;
    }

    public Builder username(@Nullable String username) {
      this.username = username;
      return this;
    }

    public Builder password(@Nullable String password) {
      this.password = password;
      return this;
    }

    /**
     * The configuration built from what was set.
     *
     * @throws InvalidConfigurationException if a password is given without a user name
     */
    public EtcdV3Config build() {
      if (password != null && username == null) {
        throw new InvalidConfigurationException("a password was given without a username");
      }
      if (username != null && username.isEmpty()) {
        throw new InvalidConfigurationException("username is empty");
      }
      return new EtcdV3Config(this);
    }

    private static Duration positive(String name, Duration value) {
      Objects.requireNonNull(value, name);
      if (value.isNegative() || value.isZero()) {
        throw new InvalidConfigurationException(name + " must be positive: " + value);
      }
      return value;
    }
  }
}
