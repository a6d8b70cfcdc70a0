package dev.valkeyrie.etcdv3;

import dev.valkeyrie.store.InvalidConfigurationException;
import dev.valkeyrie.store.spi.Ticker;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The members a store talks to, and which one it prefers. Requests go to the preferred member; a
 * member that fails hands the preference to the next one and is passed over for a while ({@link
 * #AVOID}), so the order is never stuck on a dead first endpoint. Time comes from a {@link Ticker}.
 * Thread-safe.
 *
 * <p>Endpoints are {@code host:port} (scheme from whether TLS is configured) or {@code
 * http(s)://host:port}, as for the v2 backend: same validation, and credentials in an endpoint are
 * refused and never shown ({@link #redacted}).
 */
final class Endpoints {
  /** How long a member that failed is passed over, before it gets another chance. */
  static final Duration AVOID = Duration.ofSeconds(5);

  private final Ticker ticker;
  private volatile List<URI> all;
  private final AtomicInteger preferred = new AtomicInteger();
  private final Map<URI, Long> failedAt = new ConcurrentHashMap<>();

  private Endpoints(List<URI> all, Ticker ticker) {
    this.all = List.copyOf(all);
    this.ticker = ticker;
  }

  /**
   * Parses {@code host:port} (scheme from {@code tls}) or full {@code http(s)://host:port} URLs.
   *
   * @throws InvalidConfigurationException naming the endpoint that cannot be used
   */
  static Endpoints parse(@Nullable List<String> endpoints, boolean tls, Ticker ticker) {
    if (endpoints == null || endpoints.isEmpty()) {
      throw new InvalidConfigurationException("no etcd endpoints given");
    }
    List<URI> uris = new ArrayList<>();
    for (String endpoint : endpoints) {
      URI uri = parseOne(endpoint, tls);
      if (!uris.contains(uri)) {
        uris.add(uri);
      }
    }
    return new Endpoints(uris, ticker);
  }

  private static URI parseOne(@Nullable String endpoint, boolean tls) {
    if (endpoint == null || endpoint.isBlank()) {
      throw new InvalidConfigurationException("an etcd endpoint is null or blank");
    }
    // Every message names the endpoint as redacted(): credentials in it are never shown.
    String shown = redacted(endpoint);
    String text = endpoint.strip();
    if (!text.contains("://")) {
      text = (tls ? "https://" : "http://") + text;
    }
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      // Not attached as the cause: its message and input would carry the raw endpoint.
      throw new InvalidConfigurationException(
          "etcd endpoint '" + shown + "' is not host:port or a URL");
    }
    if (uri.getRawUserInfo() != null) {
      throw new InvalidConfigurationException(
          "etcd endpoint '"
              + shown
              + "' contains credentials; configure them with the username and password options");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!"http".equals(scheme) && !"https".equals(scheme)) {
      throw new InvalidConfigurationException(
          "etcd endpoint '" + shown + "' has scheme '" + uri.getScheme() + "'; use http or https");
    }
    if ("https".equals(scheme) && !tls) {
      throw new InvalidConfigurationException(
          "etcd endpoint '" + shown + "' is https but no TLS is configured");
    }
    if (uri.getHost() == null || uri.getPort() < 1 || uri.getPort() > 65535) {
      throw new InvalidConfigurationException(
          "etcd endpoint '"
              + shown
              + "' needs a host and a port from 1 to 65535, as in"
              + " 127.0.0.1:2379");
    }
    String path = uri.getRawPath();
    if ((path != null && !path.isEmpty() && !path.equals("/"))
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      throw new InvalidConfigurationException(
          "etcd endpoint '" + shown + "' must not have a path or query");
    }
    return URI.create(scheme + "://" + uri.getRawAuthority());
  }

  /**
   * The endpoint as messages may show it: whatever stands before an {@code @} in its authority
   * (user and password) masked. Works on any text, parsable or not.
   */
  static String redacted(@Nullable String endpoint) {
    if (endpoint == null) {
      return "null";
    }
    int scheme = endpoint.indexOf("://");
    int start = scheme < 0 ? 0 : scheme + 3;
    int end = endpoint.length();
    for (int i = start; i < endpoint.length(); i++) {
      char c = endpoint.charAt(i);
      if (c == '/' || c == '?' || c == '#') {
        end = i;
        break;
      }
    }
    int at = endpoint.lastIndexOf('@', end - 1);
    return at < start ? endpoint : endpoint.substring(0, start) + "****" + endpoint.substring(at);
  }

  /** The member requests go to now: the preferred one, unless it failed a moment ago. */
  URI preferred() {
    List<URI> current = all;
    int start = Math.floorMod(preferred.get(), current.size());
    for (int i = 0; i < current.size(); i++) {
      int candidate = (start + i) % current.size();
      if (!avoided(current.get(candidate))) {
        preferred.compareAndSet(start, candidate);
        return current.get(candidate);
      }
    }
    return current.get(start); // every member failed recently: try the preferred one anyway
  }

  /** The member to try after {@code endpoint}: the next one that did not fail a moment ago. */
  URI after(URI endpoint) {
    List<URI> current = all;
    int from = current.indexOf(endpoint);
    for (int i = 1; i <= current.size(); i++) {
      URI candidate = current.get(Math.floorMod(from + i, current.size()));
      if (!avoided(candidate)) {
        return candidate;
      }
    }
    return current.get(Math.floorMod(from + 1, current.size()));
  }

  /**
   * {@code endpoint} failed: avoid it for a while, and if it still is the preferred one, prefer the
   * next.
   */
  void failed(URI endpoint) {
    failedAt.put(endpoint, ticker.read());
    List<URI> current = all;
    int i = current.indexOf(endpoint);
    if (i >= 0) {
      preferred.compareAndSet(i, (i + 1) % current.size());
    }
  }

  /** {@code endpoint} answered: nothing to avoid. */
  void succeeded(URI endpoint) {
    if (!failedAt.isEmpty()) {
      failedAt.remove(endpoint);
    }
  }

  /** Whether {@code endpoint} failed less than {@link #AVOID} ago. */
  boolean avoided(URI endpoint) {
    Long at = failedAt.get(endpoint);
    return at != null && ticker.read() - at < AVOID.toNanos();
  }

  /**
   * Replaces the member list (from a member sync), keeping the preferred member if it is still
   * there. An empty list is ignored: a store never ends up with nowhere to send requests.
   */
  synchronized void replace(List<URI> members) {
    if (members.isEmpty() || members.equals(all)) {
      return;
    }
    URI keep = preferred();
    List<URI> next = List.copyOf(members);
    all = next;
    preferred.set(Math.max(0, next.indexOf(keep)));
    failedAt.keySet().retainAll(next);
  }

  int size() {
    return all.size();
  }

  List<URI> all() {
    return all;
  }

  /**
   * Parses a client URL that etcd reported for a member; empty if it is unusable (or https without
   * TLS configured).
   */
  static Optional<URI> member(String clientUrl, boolean tls) {
    try {
      URI uri = new URI(clientUrl.strip());
      String scheme = uri.getScheme();
      if ((!"http".equals(scheme) && !"https".equals(scheme))
          || uri.getHost() == null
          || uri.getPort() < 1
          || ("https".equals(scheme) && !tls)) {
        return Optional.empty();
      }
      return Optional.of(URI.create(scheme + "://" + uri.getRawAuthority()));
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }

  /** The member as messages show it: {@code host:port}, with its scheme if it is https. */
  static String describe(URI endpoint) {
    return endpoint.toString();
  }

  @Override
  public String toString() {
    return all.toString();
  }
}
