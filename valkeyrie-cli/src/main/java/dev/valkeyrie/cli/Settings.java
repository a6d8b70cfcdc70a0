package dev.valkeyrie.cli;

import dev.valkeyrie.etcdv2.EtcdV2Config;
import dev.valkeyrie.etcdv3.EtcdV3Config;
import dev.valkeyrie.store.StoreConfig;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The effective settings of one run: the subcommand's options, else the top-level command's, else
 * the environment, else the defaults.
 *
 * @param backend the store's backend
 * @param endpoints etcd members; empty means "start a throwaway local etcd"
 * @param password never shown by {@link #toString()}
 * @param maxRequestBytes etcdv3's request size limit, or {@code null} for the default
 */
record Settings(
    Backend backend,
    List<String> endpoints,
    @Nullable String user,
    @Nullable String password,
    @Nullable Path caCert,
    @Nullable Path cert,
    @Nullable Path key,
    Duration requestTimeout,
    @Nullable Integer maxRequestBytes,
    OutputFormat output,
    boolean debug) {

  static final String BACKEND_ENV = "VALKEYRIE_BACKEND";
  static final String ENDPOINTS_ENV = "VALKEYRIE_ENDPOINTS";
  static final String USER_ENV = "VALKEYRIE_USER";
  static final String PASSWORD_ENV = "VALKEYRIE_PASSWORD";
  static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(5);

  Settings {
    endpoints = List.copyOf(endpoints);
  }

  /**
   * Merges the options of the top-level command and of the subcommand with the environment.
   *
   * @param timeout the subcommand's request timeout option, or {@code null} when it has none
   */
  static Settings resolve(
      ValkeyrieCommand top, GlobalOptions own, @Nullable RequestTimeoutOption timeout) {
    GlobalOptions g = top.global;
    Io io = top.io();
    List<String> endpoints = endpoints(first(own.endpoints, g.endpoints), io.env(ENDPOINTS_ENV));
    Duration requestTimeout = first(timeout == null ? null : timeout.timeout, top.timeout.timeout);
    if (requestTimeout != null && requestTimeout.isZero()) {
      throw new UsageException("--timeout must be longer than zero");
    }
    Backend backend = backend(own, g, io.env(BACKEND_ENV));
    Integer maxRequestBytes = own.maxRequestBytes != null ? own.maxRequestBytes : g.maxRequestBytes;
    if (maxRequestBytes != null && backend != Backend.ETCDV3) {
      throw new UsageException(
          "--max-request-bytes is an etcd v3 limit: it needs --backend etcdv3 (the v2 backend"
              + " refuses values over etcd's 10 MiB form limit on its own)");
    }
    Settings s =
        new Settings(
            backend,
            endpoints,
            first(own.user, g.user, io.env(USER_ENV)),
            password(first(own.password, g.password, io.env(PASSWORD_ENV)), io),
            first(own.caCert, g.caCert),
            first(own.cert, g.cert),
            first(own.key, g.key),
            requestTimeout == null ? DEFAULT_REQUEST_TIMEOUT : requestTimeout,
            maxRequestBytes,
            firstOr(OutputFormat.PLAIN, own.output, g.output),
            Boolean.TRUE.equals(first(own.debug, g.debug)));
    if (s.endpoints.isEmpty() && s.tls()) {
      throw new UsageException(
          "--cacert, --cert and --key need --endpoints (or "
              + ENDPOINTS_ENV
              + "): the throwaway local etcd speaks plain http");
    }
    return s;
  }

  /** Whether a throwaway local etcd is to be started. */
  boolean embedded() {
    return endpoints.isEmpty();
  }

  boolean tls() {
    return caCert != null || cert != null || key != null;
  }

  boolean json() {
    return output == OutputFormat.JSON;
  }

  /**
   * The backend configuration.
   *
   * @throws dev.valkeyrie.store.InvalidConfigurationException for unusable TLS files or credentials
   */
  StoreConfig config() {
    Duration connectTimeout =
        requestTimeout.compareTo(MAX_CONNECT_TIMEOUT) < 0 ? requestTimeout : MAX_CONNECT_TIMEOUT;
    if (backend == Backend.ETCDV3) {
      EtcdV3Config.Builder b =
          EtcdV3Config.builder()
              .requestTimeout(requestTimeout)
              .connectionTimeout(connectTimeout)
              .username(user)
              .password(password);
      if (maxRequestBytes != null) {
        b.maxRequestBytes(maxRequestBytes);
      }
      if (tls()) {
        b.tls(caCert, cert, key);
      }
      return b.build();
    }
    EtcdV2Config.Builder b =
        EtcdV2Config.builder()
            .requestTimeout(requestTimeout)
            .connectionTimeout(connectTimeout)
            .username(user)
            .password(password);
    if (tls()) {
      b.tls(caCert, cert, key);
    }
    return b.build();
  }

  @Override
  public String toString() {
    return "Settings[backend="
        + backend
        + ", endpoints="
        + endpoints
        + ", user="
        + user
        + ", password="
        + (password == null ? "none" : "****")
        + ", tls="
        + tls()
        + ", requestTimeout="
        + requestTimeout
        + (maxRequestBytes == null ? "" : ", maxRequestBytes=" + maxRequestBytes)
        + ", output="
        + output
        + ", debug="
        + debug
        + "]";
  }

  /** The option's backend, else the environment's, else etcdv2. */
  private static Backend backend(GlobalOptions own, GlobalOptions top, @Nullable String fromEnv) {
    if (own.backend != null) {
      return own.backend;
    }
    if (top.backend != null) {
      return top.backend;
    }
    return fromEnv == null || fromEnv.isBlank()
        ? Backend.ETCDV2
        : Backend.named(fromEnv, "$" + BACKEND_ENV);
  }

  /** The password, asked for when {@code --password} came without a value. */
  private static @Nullable String password(@Nullable String given, Io io) {
    if (!GlobalOptions.ASK.equals(given)) {
      return given;
    }
    // On JDK 17-21 System.console() is null without a terminal, and the password is read from
    // standard input instead; on JDK 22+ it is a console that reads standard input itself.
    @SuppressWarnings("SystemConsoleNull")
    Console console = System.console();
    if (console != null) {
      char[] typed = console.readPassword("etcd password: ");
      if (typed == null) {
        throw new UsageException("no password was entered");
      }
      return new String(typed);
    }
    try {
      BufferedReader lines =
          new BufferedReader(new InputStreamReader(io.in(), StandardCharsets.UTF_8));
      String line = lines.readLine();
      if (line == null) {
        throw new UsageException(
            "--password without a value: no terminal to ask on, and standard" + " input is empty");
      }
      return line;
    } catch (IOException e) {
      throw new UsageException("cannot read the password from standard input: " + e, e);
    }
  }

  private static List<String> endpoints(
      @Nullable List<String> fromOptions, @Nullable String fromEnv) {
    List<String> raw =
        fromOptions != null
            ? fromOptions
            : fromEnv != null ? List.of(fromEnv.split(",")) : List.of();
    List<String> out = new ArrayList<>();
    for (String e : raw) {
      if (!e.isBlank()) {
        out.add(e.strip());
      }
    }
    if (fromOptions != null && out.isEmpty()) {
      throw new UsageException("--endpoints is empty");
    }
    return out;
  }

  @SafeVarargs
  private static <T> @Nullable T first(@Nullable T... candidates) {
    for (T c : candidates) {
      if (c != null) {
        return c;
      }
    }
    return null;
  }

  /** The first candidate that is not {@code null}, else {@code fallback}. */
  @SafeVarargs
  private static <T> T firstOr(T fallback, @Nullable T... candidates) {
    // The loop again rather than first(candidates): passing the varargs array on is what javac's
    // varargs lint warns about.
    for (T c : candidates) {
      if (c != null) {
        return c;
      }
    }
    return fallback;
  }
}
