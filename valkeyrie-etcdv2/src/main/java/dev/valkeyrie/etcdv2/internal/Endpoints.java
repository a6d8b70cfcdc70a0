package dev.valkeyrie.etcdv2.internal;

import dev.valkeyrie.store.InvalidConfigurationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The members a store talks to, and which one it prefers. Requests go to the preferred member; a
 * member that fails to answer hands the preference to the next one, so the order is never stuck
 * on a dead first endpoint.
 */
public final class Endpoints {
  private final List<URI> all;
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
          "etcd endpoint '" + endpoint + "' is not host:port or a URL: " + e.getMessage(), e);
    }
    String scheme = uri.getScheme();
    if (!"http".equals(scheme) && !"https".equals(scheme)) {
      throw new InvalidConfigurationException(
          "etcd endpoint '" + endpoint + "' has scheme '" + scheme + "'; use http or https");
    }
    if ("https".equals(scheme) && !tls) {
      throw new InvalidConfigurationException(
          "etcd endpoint '" + endpoint + "' is https but no TLS context is configured");
    }
    if (uri.getHost() == null || uri.getPort() < 1) {
      throw new InvalidConfigurationException(
          "etcd endpoint '" + endpoint + "' needs a host and a port, as in 127.0.0.1:2379");
    }
    String path = uri.getRawPath();
    if ((path != null && !path.isEmpty() && !path.equals("/")) || uri.getRawQuery() != null) {
      throw new InvalidConfigurationException(
          "etcd endpoint '" + endpoint + "' must not have a path or query");
    }
    return URI.create(scheme + "://" + uri.getRawAuthority());
  }

  /** The member requests go to now. */
  public URI preferred() {
    return all.get(preferred.get());
  }

  /** The member after {@code endpoint}, for a retry. */
  public URI after(URI endpoint) {
    int i = all.indexOf(endpoint);
    return all.get(Math.floorMod(i + 1, all.size()));
  }

  /** {@code endpoint} failed: if it still is the preferred one, prefer the next. */
  public void failed(URI endpoint) {
    int i = all.indexOf(endpoint);
    preferred.compareAndSet(i, (i + 1) % all.size());
  }

  public int size() {
    return all.size();
  }

  public List<URI> all() {
    return all;
  }

  @Override
  public String toString() {
    return all.toString();
  }
}
