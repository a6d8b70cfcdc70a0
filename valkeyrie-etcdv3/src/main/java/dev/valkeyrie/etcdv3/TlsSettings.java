package dev.valkeyrie.etcdv3;

import dev.valkeyrie.store.InvalidConfigurationException;
import dev.valkeyrie.store.spi.PemTls;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ApplicationProtocolConfig;
import io.grpc.netty.shaded.io.netty.handler.ssl.ApplicationProtocolNames;
import io.grpc.netty.shaded.io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.grpc.netty.shaded.io.netty.handler.ssl.JdkSslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.nio.file.Path;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;

/**
 * TLS for the gRPC channels: a Netty {@link SslContext} (HTTP/2 over ALPN), made from PEM files
 * through {@link PemTls} or from the application's {@link SSLContext}. gRPC verifies the server's
 * host name against its certificate in both cases.
 */
final class TlsSettings {
  private final SslContext context;
  private final String description;

  private TlsSettings(SslContext context, String description) {
    this.context = context;
    this.description = description;
  }

  static TlsSettings of(
      @Nullable Path caCert, @Nullable Path clientCert, @Nullable Path clientKey) {
    if ((clientCert == null) != (clientKey == null)) {
      throw new InvalidConfigurationException(
          "a client certificate and its key go together: got only the "
              + (clientCert == null ? "key " + clientKey : "certificate " + clientCert));
    }
    TrustManagerFactory trust = PemTls.trust(caCert);
    SslContextBuilder builder = GrpcSslContexts.forClient().trustManager(trust);
    if (clientCert != null && clientKey != null) {
      KeyManagerFactory identity = PemTls.identity(clientCert, clientKey);
      builder.keyManager(identity);
    }
    try {
      return new TlsSettings(
          builder.build(),
          "PEM(ca="
              + (caCert == null ? "JDK default" : caCert)
              + (clientCert == null ? "" : ", cert=" + clientCert)
              + ")");
    } catch (SSLException e) {
      throw new InvalidConfigurationException("cannot set up TLS: " + e.getMessage(), e);
    }
  }

  static TlsSettings of(SSLContext sslContext) {
    ApplicationProtocolConfig alpn =
        new ApplicationProtocolConfig(
            ApplicationProtocolConfig.Protocol.ALPN,
            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
            ApplicationProtocolNames.HTTP_2);
    SslContext context =
        new JdkSslContext(
            sslContext,
            true,
            null,
            IdentityCipherSuiteFilter.INSTANCE,
            alpn,
            io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth.NONE,
            null,
            false);
    return new TlsSettings(context, "SSLContext(" + sslContext.getProtocol() + ")");
  }

  SslContext context() {
    return context;
  }

  @Override
  public String toString() {
    return description;
  }
}
