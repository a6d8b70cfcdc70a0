package dev.valkeyrie.etcd.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;

/**
 * Builds an {@link SSLContext} from PEM files: CA certificates to trust, and optionally a client
 * certificate with its unencrypted PKCS#8 key ({@code -----BEGIN PRIVATE KEY-----}, what {@code
 * openssl genpkey} writes and {@link TestCertificates} produces).
 */
final class PemFiles {
  private static final Pattern PKCS8 =
      Pattern.compile("-----BEGIN PRIVATE KEY-----([^-]+)-----END PRIVATE KEY-----");
  private static final char[] NO_PASSWORD = new char[0];

  private PemFiles() {}

  /**
   * @param caCertificate the CA certificate(s) to trust
   * @param clientCertificate the certificate (chain) to present, or {@code null}
   * @param clientKey its PKCS#8 key, or {@code null}
   * @throws IllegalArgumentException if a file is unreadable or holds no usable certificate or key
   */
  static SSLContext sslContext(
      Path caCertificate, @Nullable Path clientCertificate, @Nullable Path clientKey) {
    try {
      KeyStore trusted = emptyKeyStore();
      List<Certificate> cas = certificates(caCertificate);
      for (int i = 0; i < cas.size(); i++) {
        trusted.setCertificateEntry("ca-" + i, cas.get(i));
      }
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trusted);
      KeyManagerFactory keys = null;
      if (clientCertificate != null && clientKey != null) {
        KeyStore identity = emptyKeyStore();
        identity.setKeyEntry(
            "client",
            privateKey(clientKey),
            NO_PASSWORD,
            certificates(clientCertificate).toArray(Certificate[]::new));
        keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(identity, NO_PASSWORD);
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot build a TLS context: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Certificate> certificates(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      List<Certificate> list =
          new ArrayList<>(CertificateFactory.getInstance("X.509").generateCertificates(in));
      if (list.isEmpty()) {
        throw new IllegalArgumentException("no certificate in " + file);
      }
      return list;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot read certificates from " + file + ": " + e, e);
    }
  }

  private static PrivateKey privateKey(Path file) {
    if (file == null) {
      throw new IllegalArgumentException("a client certificate needs its key");
    }
    String pem;
    try {
      pem = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the key file " + file + ": " + e, e);
    }
    Matcher block = PKCS8.matcher(pem);
    if (!block.find()) {
      throw new IllegalArgumentException("no PKCS#8 'PRIVATE KEY' block in " + file);
    }
    PKCS8EncodedKeySpec spec =
        new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(block.group(1)));
    for (String algorithm : List.of("EC", "RSA", "Ed25519")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException next) {
        // Try the next algorithm.
      }
    }
    throw new IllegalArgumentException("the key in " + file + " is not an EC, RSA or Ed25519 key");
  }

  private static KeyStore emptyKeyStore() throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    return store;
  }
}
