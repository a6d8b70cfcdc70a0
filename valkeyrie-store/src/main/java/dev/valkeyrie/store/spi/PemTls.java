package dev.valkeyrie.store.spi;

import dev.valkeyrie.store.InvalidConfigurationException;
import java.io.IOException;
import java.io.InputStream;
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
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;

/**
 * TLS from PEM files as etcd's own tools take them ({@code --cacert}, {@code --cert}, {@code
 * --key}), so nobody has to build a Java keystore: a whole {@link SSLContext}, or its trust and
 * identity apart for stacks that take those (gRPC over Netty).
 */
public final class PemTls {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]+)-----END \\1-----");
  private static final char[] NO_PASSWORD = new char[0];

  private PemTls() {}

  /**
   * A TLS context that trusts {@code caCert} and, for mutual TLS, presents {@code clientCert}.
   *
   * @param caCert the CA certificates that sign the servers' certificates; {@code null} for the
   *     JDK's default trust store
   * @param clientCert the client certificate chain for mutual TLS, or {@code null}
   * @param clientKey the client's unencrypted private key (PKCS#8 or PKCS#1 RSA), or {@code null}
   * @throws InvalidConfigurationException naming the file that cannot be used
   */
  public static SSLContext context(
      @Nullable Path caCert, @Nullable Path clientCert, @Nullable Path clientKey) {
    if ((clientCert == null) != (clientKey == null)) {
      throw new InvalidConfigurationException(
          "a client certificate and its key go together: got only the "
              + (clientCert == null ? "key " + clientKey : "certificate " + clientCert));
    }
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      // Both or neither (checked above).
      KeyManager[] keyManagers =
          clientCert == null || clientKey == null
              ? null
              : identity(clientCert, clientKey).getKeyManagers();
      context.init(keyManagers, trust(caCert).getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new InvalidConfigurationException("cannot set up TLS: " + e.getMessage(), e);
    }
  }

  /**
   * The trust for servers' certificates: the CA certificates in {@code caCert}, or the JDK's
   * default trust store when it is {@code null}.
   *
   * @throws InvalidConfigurationException naming the file that cannot be used
   */
  public static TrustManagerFactory trust(@Nullable Path caCert) {
    try {
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      if (caCert == null) {
        trust.init((KeyStore) null);
      } else {
        KeyStore trusted = emptyKeyStore();
        List<Certificate> cas = certificates(caCert);
        for (int i = 0; i < cas.size(); i++) {
          trusted.setCertificateEntry("ca-" + i, cas.get(i));
        }
        trust.init(trusted);
      }
      return trust;
    } catch (GeneralSecurityException | IOException e) {
      throw new InvalidConfigurationException("cannot set up TLS: " + e.getMessage(), e);
    }
  }

  /**
   * The client's identity for mutual TLS: the certificate chain in {@code clientCert} and the
   * unencrypted private key (PKCS#8 or PKCS#1 RSA) in {@code clientKey}. The key's content never
   * appears in a message.
   *
   * @throws InvalidConfigurationException naming the file that cannot be used
   */
  public static KeyManagerFactory identity(Path clientCert, Path clientKey) {
    try {
      KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      KeyStore identity = emptyKeyStore();
      identity.setKeyEntry(
          "client",
          privateKey(clientKey),
          NO_PASSWORD,
          certificates(clientCert).toArray(Certificate[]::new));
      keys.init(identity, NO_PASSWORD);
      return keys;
    } catch (GeneralSecurityException | IOException e) {
      throw new InvalidConfigurationException("cannot set up TLS: " + e.getMessage(), e);
    }
  }

  private static KeyStore emptyKeyStore() throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    return store;
  }

  private static List<Certificate> certificates(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      List<Certificate> certificates =
          new ArrayList<>(CertificateFactory.getInstance("X.509").generateCertificates(in));
      if (certificates.isEmpty()) {
        throw new InvalidConfigurationException("no certificate found in " + file);
      }
      return certificates;
    } catch (IOException | GeneralSecurityException e) {
      throw new InvalidConfigurationException(
          "cannot read the certificate file " + file + ": " + e.getMessage(), e);
    }
  }

  private static PrivateKey privateKey(Path file) {
    String pem;
    try {
      pem = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new InvalidConfigurationException(
          "cannot read the key file " + file + ": " + e.getMessage(), e);
    }
    Matcher block = BLOCK.matcher(pem);
    while (block.find()) {
      String type = block.group(1);
      byte[] der = Base64.getMimeDecoder().decode(block.group(2));
      switch (type) {
        case "PRIVATE KEY" -> {
          return pkcs8(file, der);
        }
        case "RSA PRIVATE KEY" -> {
          return pkcs8(file, wrapPkcs1Rsa(der));
        }
        case "ENCRYPTED PRIVATE KEY" ->
            throw new InvalidConfigurationException(
                "the key in "
                    + file
                    + " is encrypted; decrypt it first: openssl pkcs8 -topk8 -nocrypt -in "
                    + file
                    + " -out key.pem");
        case "EC PRIVATE KEY" ->
            throw new InvalidConfigurationException(
                "the key in "
                    + file
                    + " is in SEC1 form; convert it to PKCS#8: openssl pkcs8 -topk8 -nocrypt -in "
                    + file
                    + " -out key.pem");
        default -> {
          // Not a key (for example EC PARAMETERS before the key): keep looking.
        }
      }
    }
    throw new InvalidConfigurationException("no PEM private key found in " + file);
  }

  private static PrivateKey pkcs8(Path file, byte[] der) {
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException ignored) {
        // Try the next algorithm.
      }
    }
    throw new InvalidConfigurationException(
        "the key in " + file + " is not an RSA, EC or EdDSA private key");
  }

  /** Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo, which Java's KeyFactory reads. */
  private static byte[] wrapPkcs1Rsa(byte[] pkcs1) {
    byte[] rsaAlgorithm = {
      0x30,
      0x0d,
      0x06,
      0x09,
      0x2a,
      (byte) 0x86,
      0x48,
      (byte) 0x86,
      (byte) 0xf7,
      0x0d,
      0x01,
      0x01,
      0x01,
      0x05,
      0x00
    };
    byte[] version = {0x02, 0x01, 0x00};
    byte[] octets = derElement(0x04, pkcs1);
    byte[] body = new byte[version.length + rsaAlgorithm.length + octets.length];
    System.arraycopy(version, 0, body, 0, version.length);
    System.arraycopy(rsaAlgorithm, 0, body, version.length, rsaAlgorithm.length);
    System.arraycopy(octets, 0, body, version.length + rsaAlgorithm.length, octets.length);
    return derElement(0x30, body);
  }

  private static byte[] derElement(int tag, byte[] content) {
    int length = content.length;
    byte[] header;
    if (length < 0x80) {
      header = new byte[] {(byte) tag, (byte) length};
    } else if (length < 0x100) {
      header = new byte[] {(byte) tag, (byte) 0x81, (byte) length};
    } else if (length < 0x10000) {
      header = new byte[] {(byte) tag, (byte) 0x82, (byte) (length >> 8), (byte) length};
    } else {
      header =
          new byte[] {
            (byte) tag, (byte) 0x83, (byte) (length >> 16), (byte) (length >> 8), (byte) length
          };
    }
    byte[] out = new byte[header.length + length];
    System.arraycopy(header, 0, out, 0, header.length);
    System.arraycopy(content, 0, out, header.length, length);
    return out;
  }
}
