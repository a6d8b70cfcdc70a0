package dev.valkeyrie.etcd.launcher;

import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Changes to the cluster's membership through the v2 members API ({@code POST} and {@code DELETE
 * /v2/members}), and the check that a new member has published its client URL.
 */
final class MemberChanges {
  private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f]+)\"");
  private static final Pattern MEMBER =
      Pattern.compile("\\{\"id\":\"([0-9a-f]+)\",\"name\":\"[^\"]*\",\"peerURLs\":\\[([^\\]]*)\\]");

  private MemberChanges() {}

  /**
   * Adds a member with {@code peerUrl} through the first of {@code askUrls} that answers, and
   * returns its id. etcd refuses additions with 500 "unhealthy cluster" until the leader has been
   * connected to every member for 5 seconds (its strict reconfiguration check, on by default), and
   * with 500/503 during elections: those are retried until {@code deadline}.
   *
   * @throws EtcdStartException if no member accepted the addition in time
   */
  static String add(LoopbackHttp http, List<String> askUrls, String peerUrl, Instant deadline) {
    String body = "{\"peerURLs\":[\"" + peerUrl + "\"]}";
    String[] last = {"no member answered"};
    String[] id = new String[1];
    Poll.until(
        deadline,
        () -> {
          for (String url : askUrls) {
            try {
              LoopbackHttp.Response response =
                  http.postJson(
                      URI.create(url + "/v2/members"),
                      body,
                      Poll.remaining(deadline, EtcdProbe.REQUEST_TIMEOUT));
              if (response.status() == 201) {
                Matcher m = ID.matcher(response.body());
                if (m.find()) {
                  id[0] = m.group(1);
                  return true;
                }
              }
              if (response.status() == 409) {
                // Our own earlier attempt may have been applied although its answer was lost.
                Optional<String> existing = idOf(http, url, peerUrl);
                if (existing.isPresent()) {
                  id[0] = existing.get();
                  return true;
                }
              }
              last[0] =
                  "HTTP " + response.status() + " " + response.body().strip() + " from " + url;
              return false;
            } catch (IOException e) {
              last[0] = e + " from " + url;
            }
          }
          return false;
        });
    if (id[0] == null) {
      throw new EtcdStartException(
          "etcd did not accept a new member with peer URL "
              + peerUrl
              + "; last answer: "
              + last[0]);
    }
    return id[0];
  }

  /** Removes member {@code id}; best effort, for cleaning up after a failed addition. */
  static void remove(LoopbackHttp http, List<String> askUrls, String id, Instant deadline) {
    Poll.until(
        deadline,
        () -> {
          for (String url : askUrls) {
            try {
              int status =
                  http.delete(
                          URI.create(url + "/v2/members/" + id),
                          Poll.remaining(deadline, EtcdProbe.REQUEST_TIMEOUT))
                      .status();
              if (status == 204 || status == 404) {
                return true;
              }
            } catch (IOException e) {
              // Try the next member.
            }
          }
          return false;
        });
  }

  /** Whether {@code askUrl}'s member list shows {@code clientUrl} as some member's client URL. */
  static boolean published(LoopbackHttp http, String askUrl, String clientUrl) {
    try {
      LoopbackHttp.Response response =
          http.get(URI.create(askUrl + "/v2/members"), EtcdProbe.REQUEST_TIMEOUT);
      return response.status() == 200 && response.body().contains("\"" + clientUrl + "\"");
    } catch (IOException e) {
      return false;
    }
  }

  private static Optional<String> idOf(LoopbackHttp http, String askUrl, String peerUrl)
      throws IOException {
    LoopbackHttp.Response list =
        http.get(URI.create(askUrl + "/v2/members"), EtcdProbe.REQUEST_TIMEOUT);
    Matcher m = MEMBER.matcher(list.body());
    while (m.find()) {
      if (m.group(2).contains("\"" + peerUrl + "\"")) {
        return Optional.of(m.group(1));
      }
    }
    return Optional.empty();
  }
}
