package dev.valkeyrie.etcdv2.internal;

import dev.valkeyrie.store.InvalidConfigurationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The members a store talks to, and which one it prefers. Requests go to the preferred member; a
 * member that fails to answer hands the preference to the next one, so the order is never stuck
 * on a dead first endpoint.
 */
public final class Endpoints {
  private volatile List<URI> all;
  private final AtomicInteger preferred = new AtomicInteger();

  private Endpoints(List<URI> all) {
    this.all = List.copyOf(all);
  }

  /**
   * Parses {@code host:port} (scheme from {@code tls}) or full {@code http(s)://host:port} URLs.
   *
   * @throws InvalidConfigurationException naming the endpoint that cannot be used
   */
  public static Endpoints parse(List<String> endpoints, boolean tls) {
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
    return new Endpoints(uris);
  }

  private static URI parseOne(String endpoint, boolean tls) {
    if (endpoint == null || endpoint.isBlank()) {
      throw new InvalidConfigurationException("an etcd endpoint is null or blank");
    }
    String text = endpoint.strip();
    if (!text.contains("://")) {
      text = (tls ? "https://" : "http://") + text;
    }
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new InvalidConfigurationException(
          "etcd endpoint '" + redacted(endpoint) + "' is not host:port or a URL", e);
    }
    if (uri.getRawUserInfo() != null) {
      // Credentials belong in EtcdV2Config, where they are never printed.
      throw new InvalidConfigurationException("etcd endpoint '" + redacted(endpoint)
          + "' contains credentials; configure them with EtcdV2Config.username/password");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!"http".equals(scheme) && !"https".equals(scheme)) {
      throw new InvalidConfigurationException(
          "etcd endpoint '" + endpoint + "' has scheme '" + uri.getScheme()
              + "'; use http or https");
    }
    if ("https".equals(scheme) && !tls) {
      throw new InvalidConfigurationException(
          "etcd endpoint '" + endpoint + "' is https but no TLS context is configured");
    }
    if (uri.getHost() == null || uri.getPort() < 1 || uri.getPort() > 65535) {
      throw new InvalidConfigurationException(
          "etcd endpoint '" + endpoint + "' needs a host and a port from 1 to 65535, as in"
              + " 127.0.0.1:2379");
    }
    String path = uri.getRawPath();
    if ((path != null && !path.isEmpty() && !path.equals("/")) || uri.getRawQuery() != null) {
      throw new InvalidConfigurationException(
          "etcd endpoint '" + endpoint + "' must not have a path or query");
    }
    return URI.create(scheme + "://" + uri.getRawAuthority());
  }

  /** The endpoint with anything between "://" and "@" masked, for messages. */
  private static String redacted(String endpoint) {
    return endpoint.replaceAll("(?<=://)[^/@]*@", "****@");
  }

  /** The member requests go to now. */
  public URI preferred() {
    List<URI> current = all;
    return current.get(Math.floorMod(preferred.get(), current.size()));
  }

  /** The member after {@code endpoint}, for a retry. */
  public URI after(URI endpoint) {
    List<URI> current = all;
    int i = current.indexOf(endpoint);
    return current.get(Math.floorMod(i + 1, current.size()));
  }

  /** {@code endpoint} failed: if it still is the preferred one, prefer the next. */
  public void failed(URI endpoint) {
    List<URI> current = all;
    int i = current.indexOf(endpoint);
    if (i >= 0) {
      preferred.compareAndSet(i, (i + 1) % current.size());
    }
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
          || uri.getHost() == null || uri.getPort() < 1) {
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
