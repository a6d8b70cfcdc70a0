package dev.valkeyrie.etcd.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * Members serve their clients over https: what {@link EtcdCluster.Builder#clientTls(ClientTls)}
 * takes. Peer traffic between members stays plain http.
 *
 * <pre>{@code
 * ClientTls tls = ClientTls.serverCertificate(serverCrt, serverKey, caCrt)     // --cert-file, --key-file
 *     .requireClientCertificates(caCrt, clientCrt, clientKey);                  // --trusted-ca-file, --client-cert-auth
 * EtcdCluster etcd = EtcdCluster.builder().clientTls(tls).build().start();     // clientEndpoints(): https://127.0.0.1:<port>
 * }</pre>
 *
 * <p>{@link TestCertificates#clientTls()} builds one from generated certificates. All files are
 * PEM; keys are unencrypted PKCS#8. The launcher's own requests (readiness probes, leader queries,
 * member and auth changes) verify the server's chain against {@code probeCa} and present the probe
 * certificate when client certificates are required; they do not check the server's host name, so a
 * member can serve a certificate for another host (to test a client's host name check) and still be
 * seen to start. Immutable.
 */
public final class ClientTls {
  private final Path certFile;
  private final Path keyFile;
  private final Path probeCa;
  private final @Nullable Path clientCa;
  private final @Nullable Path probeCertificate;
  private final @Nullable Path probeKey;
  private volatile @Nullable SSLContext probeContext;

  private ClientTls(
      Path certFile,
      Path keyFile,
      Path probeCa,
      @Nullable Path clientCa,
      @Nullable Path probeCertificate,
      @Nullable Path probeKey) {
    this.certFile = certFile;
    this.keyFile = keyFile;
    this.probeCa = probeCa;
    this.clientCa = clientCa;
    this.probeCertificate = probeCertificate;
    this.probeKey = probeKey;
  }

  /**
   * Members serve {@code certFile} with {@code keyFile} ({@code --cert-file}, {@code --key-file})
   * and accept clients without certificates.
   *
   * @param probeCa the CA that signed {@code certFile}, trusted by the launcher's probes
   * @throws IllegalArgumentException if a file does not exist
   */
  public static ClientTls serverCertificate(Path certFile, Path keyFile, Path probeCa) {
    return new ClientTls(
        existing(certFile), existing(keyFile), existing(probeCa), null, null, null);
  }

  /**
   * The same, but members require a client certificate signed by {@code clientCa} ({@code
   * --trusted-ca-file}, {@code --client-cert-auth}); the launcher's probes present {@code
   * probeCertificate}. With v2 auth on, etcd takes a certificate's CN as the user name when a
   * request has no Basic credentials.
   *
   * @throws IllegalArgumentException if a file does not exist
   */
  public ClientTls requireClientCertificates(Path clientCa, Path probeCertificate, Path probeKey) {
    return new ClientTls(
        certFile,
        keyFile,
        probeCa,
        existing(clientCa),
        existing(probeCertificate),
        existing(probeKey));
  }

  /** The server certificate members serve. */
  public Path certFile() {
    return certFile;
  }

  /** Whether members require client certificates. */
  public boolean requiresClientCertificates() {
    return clientCa != null;
  }

  @Override
  public String toString() {
    return "ClientTls[cert="
        + certFile
        + ", clientCertificates="
        + (clientCa == null ? "not required" : "required, CA " + clientCa)
        + "]";
  }

  /** The flags appended to a member's command line. */
  List<String> etcdFlags() {
    List<String> flags = new ArrayList<>();
    flags.add("--cert-file=" + certFile);
    flags.add("--key-file=" + keyFile);
    if (clientCa != null) {
      flags.add("--trusted-ca-file=" + clientCa);
      flags.add("--client-cert-auth=true");
    }
    return flags;
  }

  /** What the launcher's requests use; built once, on first use. */
  SSLContext probeContext() {
    SSLContext context = probeContext;
    if (context == null) {
      context = PemFiles.sslContext(probeCa, probeCertificate, probeKey);
      probeContext = context;
    }
    return context;
  }

  private static Path existing(Path file) {
    Objects.requireNonNull(file, "file");
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no such file: " + file);
    }
    return file.toAbsolutePath();
  }
}
