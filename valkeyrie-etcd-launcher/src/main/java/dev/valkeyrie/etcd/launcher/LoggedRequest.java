package dev.valkeyrie.etcd.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One HTTP request a member received on its client port, as etcd 3.4 logs it at debug level ({@code
 * "msg":"handling HTTP request"} from its v2 HTTP handlers: the keys, members and stats APIs). Read
 * with {@link EtcdMember#loggedRequests()}. Lets a test see server-side what a client sent, and
 * when, without a proxy: for example that a store polled {@code GET /v2/members}.
 *
 * @param time when etcd started handling it (etcd's clock, millisecond resolution)
 * @param method {@code GET}, {@code PUT}, ...
 * @param uri the request URI: path and query, as sent
 * @param remoteAddress the client's {@code host:port}
 */
public record LoggedRequest(Instant time, String method, String uri, String remoteAddress) {
  private static final String MARKER = "\"msg\":\"handling HTTP request\"";
  private static final Pattern TS = field("ts");
  private static final Pattern METHOD = field("method");
  private static final Pattern URI = field("request-uri");
  private static final Pattern REMOTE = field("remote-addr");

  /** Whether this is a {@code method} request whose path is {@code path} (query ignored). */
  public boolean is(String method, String path) {
    int query = uri.indexOf('?');
    return this.method.equals(method) && (query < 0 ? uri : uri.substring(0, query)).equals(path);
  }

  /** Every request logged in {@code logFile}, oldest first; empty if it does not exist. */
  static List<LoggedRequest> readAll(Path logFile) {
    List<String> lines;
    try {
      lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + logFile, e);
    }
    List<LoggedRequest> requests = new ArrayList<>();
    for (String line : lines) {
      if (line.contains(MARKER)) {
        requests.add(
            new LoggedRequest(
                time(find(TS, line)), find(METHOD, line), find(URI, line), find(REMOTE, line)));
      }
    }
    return requests;
  }

  private static Pattern field(String name) {
    return Pattern.compile("\"" + Pattern.quote(name) + "\":\"((?:[^\"\\\\]|\\\\.)*)\"");
  }

  private static String find(Pattern pattern, String line) {
    Matcher m = pattern.matcher(line);
    return m.find() ? unescape(m.group(1)) : "";
  }

  private static Instant time(String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      return Instant.EPOCH;
    }
  }

  /** JSON string escapes as zap writes them. */
  private static String unescape(String text) {
    if (text.indexOf('\\') < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != '\\' || i + 1 >= text.length()) {
        out.append(c);
        continue;
      }
      char next = text.charAt(++i);
      switch (next) {
        case 'u' -> {
          if (i + 4 < text.length()) {
            out.append((char) Integer.parseInt(text.substring(i + 1, i + 5), 16));
            i += 4;
          }
        }
        case 'n' -> out.append('\n');
        case 't' -> out.append('\t');
        case 'r' -> out.append('\r');
        default -> out.append(next);
      }
    }
    return out.toString();
  }
}
