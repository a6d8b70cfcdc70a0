package dev.valkeyrie.etcd.launcher;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The HTTP questions asked of a member: is it healthy, does v2 work, who is the leader. */
final class EtcdProbe {
  /** Hidden (leading underscore) so that listings of the root directory do not show it. */
  static final String PROBE_KEY = "/v2/keys/_valkeyrie_probe";

  /** Per request; a paused or partitioned member must not stall a poll loop for long. */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);

  private static final Pattern HEALTHY = Pattern.compile("\"health\"\\s*:\\s*\"true\"");
  private static final Pattern NAME = Pattern.compile("\"name\"\\s*:\\s*\"([^\"]*)\"");

  private EtcdProbe() {}

  /**
   * A member is ready when {@code /health} says so (it has a leader and no alarms) and a quorum v2
   * read goes through raft. 404 is a fine answer: the probe key usually does not exist. With v2
   * auth on, the read needs the root credentials {@link EtcdAuth} gives {@code http}.
   */
  static boolean isReady(LoopbackHttp http, String clientUrl, Duration timeout) {
    try {
      LoopbackHttp.Response health = http.get(URI.create(clientUrl + "/health"), timeout);
      if (health.status() != 200 || !HEALTHY.matcher(health.body()).find()) {
        return false;
      }
      LoopbackHttp.Response read =
          http.get(URI.create(clientUrl + PROBE_KEY + "?quorum=true"), timeout);
      return read.status() == 200 || read.status() == 404;
    } catch (IOException e) {
      return false;
    }
  }

  /** Writes then deletes the probe key through {@code clientUrl}; true if both worked. */
  static boolean v2WriteWorks(LoopbackHttp http, String clientUrl, String value, Duration timeout) {
    URI key = URI.create(clientUrl + PROBE_KEY);
    try {
      if (!http.putForm(key, "value=" + value, timeout).isSuccess()) {
        return false;
      }
      int deleted = http.delete(key, timeout).status();
      return deleted == 200 || deleted == 404;
    } catch (IOException e) {
      return false;
    }
  }

  /** The leader's name as {@code clientUrl} sees it, if it knows one. */
  static Optional<String> leaderName(LoopbackHttp http, String clientUrl, Duration timeout) {
    try {
      LoopbackHttp.Response response =
          http.get(URI.create(clientUrl + "/v2/members/leader"), timeout);
      if (response.status() != 200) {
        return Optional.empty();
      }
      Matcher name = NAME.matcher(response.body());
      return name.find() ? Optional.of(name.group(1)) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
