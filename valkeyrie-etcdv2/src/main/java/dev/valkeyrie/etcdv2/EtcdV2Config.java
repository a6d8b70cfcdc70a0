package dev.valkeyrie.etcdv2;

import dev.valkeyrie.store.InvalidConfigurationException;
import dev.valkeyrie.store.StoreConfig;
import dev.valkeyrie.store.spi.PemTls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * Configuration of an etcd v2 store. Immutable; build with {@link #builder()}. {@code null} in
 * {@link EtcdV2Store#open} means {@link #defaults()}.
 */
public final class EtcdV2Config implements StoreConfig {
  private final @Nullable SSLContext tls;
  private final Duration connectionTimeout;
  private final Duration requestTimeout;
  private final int maxOutstandingRequests;
  private final Duration syncPeriod;
  private final Duration watchIdleTimeout;
  private final Duration connectionLossTimeout;
  private final @Nullable String username;
  private final @Nullable String password;

  private EtcdV2Config(Builder b) {
    this.tls = b.tls;
    this.connectionTimeout = b.connectionTimeout;
    this.requestTimeout = b.requestTimeout;
    this.maxOutstandingRequests = b.maxOutstandingRequests;
    this.syncPeriod = b.syncPeriod;
    this.watchIdleTimeout = b.watchIdleTimeout;
    this.connectionLossTimeout = b.connectionLossTimeout;
    this.username = b.username;
    this.password = b.password;
  }

  /** Plain HTTP, 5 s to connect, 10 s per request, no member sync, no credentials. */
  public static EtcdV2Config defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The TLS context for {@code https} endpoints, or {@code null} for plain HTTP. */
  public @Nullable SSLContext tls() {
    return tls;
  }

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
   * How often to refresh the member list from {@code /v2/members}; {@link Duration#ZERO} (the
   * default) for never. When set, the store also syncs once right after opening, so it can be given
   * one member of a cluster and find the others.
   */
  public Duration syncPeriod() {
    return syncPeriod;
  }

  /**
   * How long a watch's long poll may stay silent before it is re-issued. etcd sends nothing on an
   * idle watch, so this is also how long a dead connection can go unnoticed.
   */
  public Duration watchIdleTimeout() {
    return watchIdleTimeout;
  }

  /**
   * How long the store may be SUSPENDED (no member serving requests) before it reports LOST.
   * Default 20 seconds, the default lock TTL: by then, locks held through the outage have expired.
   */
  public Duration connectionLossTimeout() {
    return connectionLossTimeout;
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
    return "EtcdV2Config[tls="
        + (tls != null)
        + ", connectionTimeout="
        + connectionTimeout
        + ", requestTimeout="
        + requestTimeout
        + ", maxOutstandingRequests="
        + maxOutstandingRequests
        + ", syncPeriod="
        + syncPeriod
        + ", watchIdleTimeout="
        + watchIdleTimeout
        + ", connectionLossTimeout="
        + connectionLossTimeout
        + ", username="
        + username
        + ", password="
        + (password == null ? "none" : "****")
        + "]";
  }

  /** Builds an {@link EtcdV2Config}. */
  public static final class Builder {
    private @Nullable SSLContext tls;
    private Duration connectionTimeout = Duration.ofSeconds(5);
    private Duration requestTimeout = Duration.ofSeconds(10);
    private int maxOutstandingRequests = 1024;
    private Duration syncPeriod = Duration.ZERO;
    private Duration watchIdleTimeout = Duration.ofSeconds(60);
    private Duration connectionLossTimeout = Duration.ofSeconds(20);
    private @Nullable String username;
    private @Nullable String password;

    private Builder() {}

    /**
     * Talk to {@code https} endpoints with this context; {@code host:port} endpoints become https.
     */
    public Builder tls(SSLContext tls) {
      this.tls = Objects.requireNonNull(tls, "tls");
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
      this.tls = PemTls.context(caCert, clientCert, clientKey);
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

    public Builder watchIdleTimeout(Duration timeout) {
      this.watchIdleTimeout = positive("watchIdleTimeout", timeout);
      return this;
    }

    public Builder connectionLossTimeout(Duration timeout) {
      this.connectionLossTimeout = positive("connectionLossTimeout", timeout);
      return this;
    }

    /** The user name for etcd's authentication, or {@code null} (the default) for none. */
    public Builder username(@Nullable String username) {
      this.username = username;
      return this;
    }

    /** The user's password, or {@code null} (the default) for none. */
    public Builder password(@Nullable String password) {
      this.password = password;
      return this;
    }

    /**
     * Returns the configuration.
     *
     * @throws InvalidConfigurationException if a password is given without a user name
     */
    public EtcdV2Config build() {
      if (password != null && username == null) {
        throw new InvalidConfigurationException("a password was given without a username");
      }
      if (username != null && (username.isEmpty() || username.contains(":"))) {
        throw new InvalidConfigurationException(
            "username '" + username + "' is empty or contains ':'");
      }
      return new EtcdV2Config(this);
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
