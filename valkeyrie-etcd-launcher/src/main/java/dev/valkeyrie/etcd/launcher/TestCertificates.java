package dev.valkeyrie.etcd.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * Certificates for TLS tests, generated at test time with the {@code openssl} command line
 * (installed by {@code bin/setup}; OpenSSL 1.1.1 or later) into a fresh temporary directory. All
 * files are PEM; keys are unencrypted PKCS#8 EC P-256 keys ({@code -----BEGIN PRIVATE KEY-----});
 * certificates are valid for two days.
 *
 * <table>
 *   <caption>The files</caption>
 *   <tr><th>method</th><th>what</th></tr>
 *   <tr><td>{@link #caCertificate()}</td><td>the test CA ({@code CN=valkeyrie test CA})</td></tr>
 *   <tr><td>{@link #serverCertificate()}, {@link #serverKey()}</td><td>signed by the CA,
 *       {@code subjectAltName=IP:127.0.0.1,DNS:localhost}, serverAuth</td></tr>
 *   <tr><td>{@link #clientCertificate()}, {@link #clientKey()}</td><td>signed by the CA,
 *       {@code CN=alice}, clientAuth</td></tr>
 *   <tr><td>{@link #rogueCaCertificate()}</td><td>another CA, which nothing trusts</td></tr>
 *   <tr><td>{@link #rogueClientCertificate()}, {@link #rogueClientKey()}</td><td>{@code
 *       CN=alice}, clientAuth, signed by the rogue CA</td></tr>
 *   <tr><td>{@link #otherHostCertificate()}, {@link #otherHostKey()}</td><td>signed by the CA,
 *       serverAuth, but only for {@code DNS:etcd.invalid}: matches neither 127.0.0.1 nor
 *       localhost</td></tr>
 * </table>
 *
 * <p>{@link #close()} deletes the directory; a JVM shutdown hook does so too if it is never called.
 */
public final class TestCertificates implements AutoCloseable {
  /** The common name of {@link #clientCertificate()}. */
  public static final String CLIENT_COMMON_NAME = "alice";

  /** The only name {@link #otherHostCertificate()} is valid for. */
  public static final String OTHER_HOST = "etcd.invalid";

  private static final long OPENSSL_TIMEOUT_SECONDS = 30;
  private static final String DAYS = "2";
  private static final String SERVER_EXTENSIONS =
      """
      basicConstraints=critical,CA:FALSE
      keyUsage=critical,digitalSignature
      extendedKeyUsage=serverAuth
      """;
  private static final String CLIENT_EXTENSIONS =
      """
      basicConstraints=critical,CA:FALSE
      keyUsage=critical,digitalSignature
      extendedKeyUsage=clientAuth
      """;
  // openssl req needs a configuration; this one keeps it independent of the system's.
  private static final String REQ_CONFIG =
      "[req]\ndistinguished_name=dn\nprompt=no\n[dn]\nCN=unused\n";

  private final Path directory;
  private final Runnable cleanup;

  private TestCertificates(Path directory) {
    this.directory = directory;
    this.cleanup = () -> Directories.deleteRecursively(directory);
  }

  /**
   * Generates every certificate and key in a new temporary directory ({@code valkeyrie-certs-*}).
   * Takes well under a second.
   *
   * @throws IllegalStateException if openssl is missing or fails; the message has its output
   */
  public static TestCertificates create() {
    Path dir;
    try {
      dir = Files.createTempDirectory("valkeyrie-certs-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory for test certificates", e);
    }
    TestCertificates certificates = new TestCertificates(dir);
    ShutdownCleanup.register(certificates.cleanup);
    try {
      certificates.generate();
      return certificates;
    } catch (RuntimeException e) {
      certificates.close();
      throw e;
    }
  }

  public Path directory() {
    return directory;
  }

  public Path caCertificate() {
    return directory.resolve("ca.crt");
  }

  public Path serverCertificate() {
    return directory.resolve("server.crt");
  }

  public Path serverKey() {
    return directory.resolve("server.key");
  }

  public Path clientCertificate() {
    return directory.resolve("client.crt");
  }

  public Path clientKey() {
    return directory.resolve("client.key");
  }

  public Path rogueCaCertificate() {
    return directory.resolve("rogue-ca.crt");
  }

  public Path rogueClientCertificate() {
    return directory.resolve("rogue-client.crt");
  }

  public Path rogueClientKey() {
    return directory.resolve("rogue-client.key");
  }

  public Path otherHostCertificate() {
    return directory.resolve("other-host.crt");
  }

  public Path otherHostKey() {
    return directory.resolve("other-host.key");
  }

  /**
   * Members serve {@link #serverCertificate()} and require client certificates signed by the CA;
   * the launcher's probes present {@link #clientCertificate()}.
   */
  public ClientTls clientTls() {
    return ClientTls.serverCertificate(serverCertificate(), serverKey(), caCertificate())
        .requireClientCertificates(caCertificate(), clientCertificate(), clientKey());
  }

  /** Like {@link #clientTls()}, but members serve {@link #otherHostCertificate()}. */
  public ClientTls otherHostClientTls() {
    return ClientTls.serverCertificate(otherHostCertificate(), otherHostKey(), caCertificate())
        .requireClientCertificates(caCertificate(), clientCertificate(), clientKey());
  }

  /**
   * A TLS context trusting the CA and presenting {@link #clientCertificate()}, for clients that
   * take an {@link SSLContext} rather than PEM files.
   */
  public SSLContext clientSslContext() {
    return PemFiles.sslContext(caCertificate(), clientCertificate(), clientKey());
  }

  /** Deletes the directory. Idempotent. */
  @Override
  public void close() {
    ShutdownCleanup.unregister(cleanup);
    cleanup.run();
  }

  @Override
  public String toString() {
    return "TestCertificates[" + directory + "]";
  }

  private void generate() {
    write("req.cnf", REQ_CONFIG);
    write("server.ext", SERVER_EXTENSIONS + "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
    write("other-host.ext", SERVER_EXTENSIONS + "subjectAltName=DNS:" + OTHER_HOST + "\n");
    write("client.ext", CLIENT_EXTENSIONS);

    selfSignedCa("ca", "valkeyrie test CA");
    selfSignedCa("rogue-ca", "valkeyrie rogue CA");
    signed("server", "localhost", "ca", "server.ext");
    signed("other-host", OTHER_HOST, "ca", "other-host.ext");
    signed("client", CLIENT_COMMON_NAME, "ca", "client.ext");
    signed("rogue-client", CLIENT_COMMON_NAME, "rogue-ca", "client.ext");
  }

  private void selfSignedCa(String name, String commonName) {
    key(name);
    openssl(
        "req",
        "-config",
        "req.cnf",
        "-x509",
        "-new",
        "-key",
        name + ".key",
        "-sha256",
        "-subj",
        "/CN=" + commonName,
        "-days",
        DAYS,
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
        "-out",
        name + ".crt");
  }

  private void signed(String name, String commonName, String ca, String extensions) {
    key(name);
    openssl(
        "req",
        "-config",
        "req.cnf",
        "-new",
        "-key",
        name + ".key",
        "-subj",
        "/CN=" + commonName,
        "-out",
        name + ".csr");
    openssl(
        "x509",
        "-req",
        "-in",
        name + ".csr",
        "-CA",
        ca + ".crt",
        "-CAkey",
        ca + ".key",
        "-set_serial",
        "0x" + serial(),
        "-days",
        DAYS,
        "-sha256",
        "-extfile",
        extensions,
        "-out",
        name + ".crt");
  }

  private void key(String name) {
    openssl(
        "genpkey",
        "-algorithm",
        "EC",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-out",
        name + ".key");
  }

  private static String serial() {
    byte[] bytes = new byte[8];
    new SecureRandom().nextBytes(bytes);
    bytes[0] &= 0x7f; // positive
    return HexFormat.of().formatHex(bytes);
  }

  private void write(String file, String content) {
    try {
      Files.writeString(directory.resolve(file), content, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void openssl(String... args) {
    List<String> command = new ArrayList<>();
    command.add("openssl");
    command.addAll(List.of(args));
    Path output = directory.resolve("openssl.log");
    try {
      Process p =
          new ProcessBuilder(command)
              .directory(directory.toFile())
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      if (!p.waitFor(OPENSSL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(
            "openssl did not finish within "
                + OPENSSL_TIMEOUT_SECONDS
                + "s: "
                + String.join(" ", command));
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            "openssl failed (exit "
                + p.exitValue()
                + "): "
                + String.join(" ", command)
                + System.lineSeparator()
                + Files.readString(output, StandardCharsets.UTF_8).strip());
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot run openssl ("
              + e.getMessage()
              + "); install it"
              + " with bin/setup, or: apt-get install -y openssl",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running openssl", e);
    }
  }
}
