package dev.valkeyrie.etcd.faults;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Reads a proxy target: {@code host:port} or a URL. Never asks a resolver: the host must be an IP
 * literal on loopback, or {@code localhost} (taken as 127.0.0.1), so the proxy cannot be aimed
 * anywhere else.
 */
final class Targets {
  private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://.*");
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private Targets() {}

  static InetSocketAddress parse(String target) {
    if (target == null || target.isBlank()) {
      throw new IllegalArgumentException("no target given");
    }
    URI uri;
    try {
      uri = new URI(SCHEME.matcher(target).matches() ? target : "tcp://" + target);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not host:port or a URL: " + target, e);
    }
    String host = uri.getHost();
    int port = uri.getPort();
    if (host == null || port < 1 || port > 65_535) {
      throw new IllegalArgumentException("no host and port in " + target);
    }
    InetAddress address = literal(host, target);
    if (!address.isLoopbackAddress()) {
      throw new IllegalArgumentException("the target must be on loopback, not " + target);
    }
    return new InetSocketAddress(address, port);
  }

  private static InetAddress literal(String host, String target) {
    if (host.equalsIgnoreCase("localhost")) {
      host = "127.0.0.1";
    }
    boolean isLiteral = IPV4.matcher(host).matches() || host.startsWith("[");
    if (!isLiteral) {
      throw new IllegalArgumentException(
          "host names are not resolved; use 127.0.0.1 instead of " + host + " in " + target);
    }
    try {
      return InetAddress.getByName(host); // a literal: only its format is checked
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address: " + host + " in " + target, e);
    }
  }
}
