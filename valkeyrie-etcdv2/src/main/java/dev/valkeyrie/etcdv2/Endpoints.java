package dev.valkeyrie.etcdv2;

import dev.valkeyrie.store.InvalidConfigurationException;
import dev.valkeyrie.store.spi.Ticker;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The members a store talks to, and which one it prefers. Requests go to the preferred member; a
 * member that fails to answer hands the preference to the next one, so the order is never stuck on
 * a dead first endpoint.
 */
final class Endpoints {
  /** How long a member that failed is passed over, before it gets another chance. */
  private static final long AVOID_NANOS = TimeUnit.SECONDS.toNanos(5);

  private volatile List<URI> all;
  private final AtomicInteger preferred = new AtomicInteger();
  private final Map<URI, Long> failedAt = new ConcurrentHashMap<>();
  private final Ticker ticker;

  private Endpoints(List<URI> all, Ticker ticker) {
    this.all = List.copyOf(all);
    this.ticker = ticker;
  }

  /**
   * Parses {@code host:port} (scheme from {@code tls}) or full {@code http(s)://host:port} URLs.
   *
   * @throws InvalidConfigurationException naming the endpoint that cannot be used
   */
  static Endpoints parse(List<String> endpoints, boolean tls, Ticker ticker) {
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

  private static URI parseOne(String endpoint, boolean tls) {
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
      // Credentials belong in the store's configuration, where they are never printed.
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
          "etcd endpoint '" + shown + "' is https but no TLS context is configured");
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
  public static String redacted(String endpoint) {
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
  public URI preferred() {
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
  public URI after(URI endpoint) {
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
  public void failed(URI endpoint) {
    failedAt.put(endpoint, ticker.read());
    List<URI> current = all;
    int i = current.indexOf(endpoint);
    if (i >= 0) {
      preferred.compareAndSet(i, (i + 1) % current.size());
    }
  }

  /** {@code endpoint} answered: nothing to avoid. */
  public void succeeded(URI endpoint) {
    if (!failedAt.isEmpty()) {
      failedAt.remove(endpoint);
    }
  }

  private boolean avoided(URI endpoint) {
    Long at = failedAt.get(endpoint);
    return at != null && ticker.read() - at < AVOID_NANOS;
  }

  /**
   * Replaces the member list (from a member sync), keeping the preferred member if it is still
   * there. An empty list is ignored: a store never ends up with nowhere to send requests.
   */
  public synchronized void replace(List<URI> members) {
    if (members.isEmpty() || members.equals(all)) {
      return;
    }
    URI keep = preferred();
    List<URI> next = List.copyOf(members);
    all = next;
    preferred.set(Math.max(0, next.indexOf(keep)));
  }

  public int size() {
    return all.size();
  }

  /** Parses a client URL that etcd reported for a member; empty if it is unusable. */
  static java.util.Optional<URI> member(String clientUrl) {
    try {
      URI uri = new URI(clientUrl.strip());
      if ((!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()))
          || uri.getHost() == null
          || uri.getPort() < 1) {
        return java.util.Optional.empty();
      }
      return java.util.Optional.of(URI.create(uri.getScheme() + "://" + uri.getRawAuthority()));
    } catch (URISyntaxException e) {
      return java.util.Optional.empty();
    }
  }

  public List<URI> all() {
    return all;
  }

  @Override
  public String toString() {
    return all.toString();
  }
}
