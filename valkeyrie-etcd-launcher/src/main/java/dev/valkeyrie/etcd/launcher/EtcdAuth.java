package dev.valkeyrie.etcd.launcher;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Turns on etcd's v2 authentication on a running cluster, through the {@code /v2/auth} API, in the
 * order etcd needs: create {@code root}, enable auth, create the roles, create the users, then
 * revoke the {@code guest} role's access to every key (enabling auth alone restricts nothing).
 *
 * <pre>{@code
 * EtcdAuth auth = EtcdAuth.withRootPassword("root-secret")
 *     .role("app", "/app/*")                      // read and write on keys below /app
 *     .user("alice", "alice-secret", "app");
 * auth.enable(cluster);
 * }</pre>
 *
 * <p>Patterns are etcd's: {@code "/app/*"} covers {@code /app/x} and everything below it, but not
 * {@code /app} itself. After {@link #enable}, the cluster's own requests (readiness probes of
 * restarted or added members) send the root credentials. Every authenticated request costs etcd a
 * bcrypt check (about 65 ms). Passwords never appear in {@link #toString()} or in messages.
 * Configure, then call {@link #enable} once; not thread-safe.
 */
public final class EtcdAuth {
  /** Answers to the admin calls are quick; bcrypt adds about 65 ms each. */
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private static final String ROOT = "root";

  private final String rootPassword;
  private final Map<String, String> roles = new LinkedHashMap<>();
  private final Map<String, String> passwords = new LinkedHashMap<>();
  private final Map<String, List<String>> userRoles = new LinkedHashMap<>();

  private EtcdAuth(String rootPassword) {
    this.rootPassword = rootPassword;
  }

  /** An auth setup whose {@code root} user has {@code rootPassword}. */
  public static EtcdAuth withRootPassword(String rootPassword) {
    return new EtcdAuth(requireText(rootPassword, "rootPassword"));
  }

  /** A role that may read and write the keys matching {@code keyPattern}, e.g. {@code "/app/*"}. */
  public EtcdAuth role(String role, String keyPattern) {
    roles.put(requireText(role, "role"), requireText(keyPattern, "keyPattern"));
    return this;
  }

  /** A user with {@code password} and the given roles (defined with {@link #role}). */
  public EtcdAuth user(String user, String password, String... roleNames) {
    requireText(user, "user");
    if (ROOT.equals(user)) {
      throw new IllegalArgumentException("root is created by enable(); use withRootPassword");
    }
    for (String role : roleNames) {
      if (!roles.containsKey(role)) {
        throw new IllegalArgumentException("role '" + role + "' is not defined with role()");
      }
    }
    passwords.put(user, requireText(password, "password"));
    userRoles.put(user, List.of(roleNames));
    return this;
  }

  /**
   * Applies the setup to {@code cluster} through a running member, and makes the cluster's own
   * requests use the root credentials from then on.
   *
   * @throws IllegalStateException if etcd refuses a step (the message has etcd's answer), or auth
   *     was already enabled
   */
  public void enable(EtcdCluster cluster) {
    Admin anonymous = new Admin(cluster, cluster.http());
    anonymous.put(
        "/v2/auth/users/" + ROOT,
        "{\"user\":\"root\",\"password\":" + json(rootPassword) + "}",
        Set.of(200, 201),
        "create the root user");
    anonymous.put("/v2/auth/enable", "", Set.of(200), "enable auth");
    cluster.useCredentials(ROOT, rootPassword);
    Admin root = new Admin(cluster, cluster.http());
    for (Map.Entry<String, String> role : roles.entrySet()) {
      String pattern = json(role.getValue());
      root.put(
          "/v2/auth/roles/" + role.getKey(),
          "{\"role\":"
              + json(role.getKey())
              + ",\"permissions\":{\"kv\":{\"read\":["
              + pattern
              + "],\"write\":["
              + pattern
              + "]}}}",
          Set.of(200, 201),
          "create role " + role.getKey());
    }
    for (Map.Entry<String, String> user : passwords.entrySet()) {
      List<String> names = new ArrayList<>();
      userRoles.getOrDefault(user.getKey(), List.of()).forEach(r -> names.add(json(r)));
      root.put(
          "/v2/auth/users/" + user.getKey(),
          "{\"user\":"
              + json(user.getKey())
              + ",\"password\":"
              + json(user.getValue())
              + ",\"roles\":["
              + String.join(",", names)
              + "]}",
          Set.of(200, 201),
          "create user " + user.getKey());
    }
    root.put(
        "/v2/auth/roles/guest",
        "{\"role\":\"guest\",\"revoke\":{\"kv\":{\"read\":[\"/*\"],\"write\":[\"/*\"]}}}",
        Set.of(200),
        "revoke the guest role's access");
  }

  /**
   * Takes {@code role} away from {@code user} on a cluster where {@link #enable} ran: for tests of
   * what a client does when its access is revoked while it works.
   *
   * @throws IllegalStateException if etcd refuses
   */
  public void revokeRole(EtcdCluster cluster, String user, String role) {
    new Admin(cluster, cluster.http())
        .put(
            "/v2/auth/users/" + requireText(user, "user"),
            "{\"user\":" + json(user) + ",\"revoke\":[" + json(requireText(role, "role")) + "]}",
            Set.of(200),
            "revoke role " + role + " from " + user);
  }

  @Override
  public String toString() {
    return "EtcdAuth[roles=" + roles + ", users=" + userRoles + ", passwords hidden]";
  }

  /** Sends admin calls to the first running member that answers. */
  private static final class Admin {
    private final EtcdCluster cluster;
    private final LoopbackHttp http;

    Admin(EtcdCluster cluster, LoopbackHttp http) {
      this.cluster = cluster;
      this.http = http;
    }

    /** The request body may hold a password: it never goes into a message. */
    void put(String path, String body, Set<Integer> expected, String step) {
      String last = "no running member answered";
      for (EtcdMember member : cluster.members()) {
        if (!member.isAnswering()) {
          continue;
        }
        URI uri = URI.create(member.clientEndpoint() + path);
        try {
          LoopbackHttp.Response response =
              body.isEmpty() ? http.putForm(uri, "", TIMEOUT) : http.putJson(uri, body, TIMEOUT);
          if (expected.contains(response.status())) {
            return;
          }
          throw new IllegalStateException(
              "etcd refused to "
                  + step
                  + ": PUT "
                  + path
                  + " answered HTTP "
                  + response.status()
                  + " "
                  + response.body().strip());
        } catch (IOException e) {
          last = "PUT " + path + " to " + member.name() + " failed: " + e;
        }
      }
      throw new IllegalStateException("cannot " + step + ": " + last);
    }
  }

  private static String requireText(String value, String what) {
    Objects.requireNonNull(value, what);
    if (value.isEmpty()) {
      throw new IllegalArgumentException(what + " must not be empty");
    }
    return value;
  }

  /** A JSON string literal. */
  private static String json(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
