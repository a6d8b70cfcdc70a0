package dev.valkeyrie.cli;

import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The options every command takes, before or after the command name ({@code valkeyrie --endpoints E
 * get k} and {@code valkeyrie get k --endpoints E} are the same). Mixed into the top-level command
 * and into each subcommand; {@link Settings} merges the two, the subcommand's value winning. Fields
 * are {@code null} when the option was not given.
 */
final class GlobalOptions {

  @Option(
      names = "--backend",
      paramLabel = "BACKEND",
      description = {
        "etcdv2 (default): etcd's v2 keys API, which etcd 3.4+ serves only with --enable-v2;"
            + " etcdv3: etcd's v3 gRPC API. The two key spaces are separate.",
        "Default: $VALKEYRIE_BACKEND, else etcdv2."
      })
  @Nullable Backend backend;

  @Option(
      names = "--max-request-bytes",
      paramLabel = "BYTES",
      description =
          "etcdv3 only: the cluster's --max-request-bytes (default 1572864), so that larger"
              + " writes are refused before they are sent.")
  @Nullable Integer maxRequestBytes;

  @Option(
      names = "--endpoints",
      split = ",",
      paramLabel = "HOST:PORT",
      description = {
        "etcd members, comma-separated: host:port or http(s)://host:port.",
        "Default: $VALKEYRIE_ENDPOINTS; with neither, a throwaway local etcd is started for this"
            + " command and removed when it ends."
      })
  @Nullable List<String> endpoints;

  @Option(
      names = "--user",
      paramLabel = "NAME",
      description = "etcd user name (default: $VALKEYRIE_USER).")
  @Nullable String user;

  /** The value of a {@code --password} given without one: ask for it. */
  static final String ASK = "\u0000ask";

  @Option(
      names = "--password",
      arity = "0..1",
      fallbackValue = ASK,
      paramLabel = "PASSWORD",
      description = {
        "etcd password. Without a value: asked for on the terminal, without echo (with no"
            + " terminal, read from the first line of standard input).",
        "Default: $VALKEYRIE_PASSWORD. Never printed."
      })
  @Nullable String password;

  @Option(
      names = "--cacert",
      paramLabel = "FILE",
      description = "PEM file of the CA that signs the etcd members' certificates (enables https).")
  @Nullable Path caCert;

  @Option(
      names = "--cert",
      paramLabel = "FILE",
      description = "PEM client certificate for mutual TLS (with --key).")
  @Nullable Path cert;

  @Option(
      names = "--key",
      paramLabel = "FILE",
      description = "PEM private key of --cert (PKCS#8, or PKCS#1 for RSA), unencrypted.")
  @Nullable Path key;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = {
        "plain (default) or json: one JSON object per line, for scripts.",
        "A value that is not valid UTF-8 (etcd v3 stores any bytes) is printed as"
            + " \"valueBase64\" (standard Base64) instead of \"value\"; plain views mark it as"
            + " <N bytes, not UTF-8: base64 ...>."
      })
  @Nullable OutputFormat output;

  @Option(
      names = "--debug",
      description = "Print stack traces and the library's log on standard error.")
  @Nullable Boolean debug;
}
