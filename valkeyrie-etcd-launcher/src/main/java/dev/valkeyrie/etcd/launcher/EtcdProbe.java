package dev.valkeyrie.etcd.launcher;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP questions asked of a member: is it healthy, do reads and writes work (through the v2
 * keys API, or v3's JSON gateway when v2 is off), who is the leader.
 */
final class EtcdProbe {
  /** Hidden (leading underscore) so that listings of the root directory do not show it. */
  static final String PROBE_KEY = "/v2/keys/_valkeyrie_probe";

  /** The same key for v3's gateway, which takes keys and values in base64. */
  private static final String V3_PROBE_KEY =
      "\"" + Base64.getEncoder().encodeToString("_valkeyrie_probe".getBytes(UTF_8)) + "\"";

  /** Per request; a paused or partitioned member must not stall a poll loop for long. */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);

  private static final Pattern HEALTHY = Pattern.compile("\"health\"\\s*:\\s*\"true\"");
  private static final Pattern NAME = Pattern.compile("\"name\"\\s*:\\s*\"([^\"]*)\"");

  private EtcdProbe() {}

  /**
   * A member is ready when {@code /health} says so (it has a leader and no alarms) and a quorum
   * read goes through raft: v2 (404 is a fine answer: the probe key usually does not exist), or
   * with {@code v2Api} false a linearizable v3 range. With v2 auth on, the read needs the root
   * credentials {@link EtcdAuth} gives {@code http}.
   */
  static boolean isReady(LoopbackHttp http, String clientUrl, boolean v2Api, Duration timeout) {
    try {
      LoopbackHttp.Response health = http.get(URI.create(clientUrl + "/health"), timeout);
      if (health.status() != 200 || !HEALTHY.matcher(health.body()).find()) {
        return false;
      }
      if (!v2Api) {
        return http.postJson(
                URI.create(clientUrl + "/v3/kv/range"), "{\"key\":" + V3_PROBE_KEY + "}", timeout)
            .isSuccess();
      }
      LoopbackHttp.Response read =
          http.get(URI.create(clientUrl + PROBE_KEY + "?quorum=true"), timeout);
      return read.status() == 200 || read.status() == 404;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Writes then deletes the probe key through {@code clientUrl} (v2, or v3's gateway when {@code
   * v2Api} is false); true if both worked.
   */
  static boolean writeWorks(LoopbackHttp http, String clientUrl, boolean v2Api, Duration timeout) {
    if (!v2Api) {
      try {
        return http.postJson(
                    URI.create(clientUrl + "/v3/kv/put"),
                    "{\"key\":" + V3_PROBE_KEY + ",\"value\":\"c3RhcnRlZA==\"}",
                    timeout)
                .isSuccess()
            && http.postJson(
                    URI.create(clientUrl + "/v3/kv/deleterange"),
                    "{\"key\":" + V3_PROBE_KEY + "}",
                    timeout)
                .isSuccess();
      } catch (IOException e) {
        return false;
      }
    }
    URI key = URI.create(clientUrl + PROBE_KEY);
    try {
      if (!http.putForm(key, "value=started", timeout).isSuccess()) {
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
