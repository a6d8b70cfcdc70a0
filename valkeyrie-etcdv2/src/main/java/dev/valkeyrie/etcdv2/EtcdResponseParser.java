package dev.valkeyrie.etcdv2;

import java.io.IOException;
import java.io.InputStream;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.MessageConstraintException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.ProtocolException;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.io.HttpMessageParser;
import org.apache.hc.core5.http.io.SessionInputBuffer;
import org.apache.hc.core5.http.message.BasicClassicHttpResponse;
import org.apache.hc.core5.http.message.BasicHeader;
import org.apache.hc.core5.http.message.BasicLineParser;
import org.apache.hc.core5.http.message.StatusLine;
import org.apache.hc.core5.util.CharArrayBuffer;
import org.jspecify.annotations.Nullable;

/**
 * Parses a response head for the caller-thread client, keeping only the headers that the client and
 * this library read. etcd sends about ten headers per answer (CORS, cluster id, raft index and
 * term, date); the stock parser made a buffer, a header object and strings for each, which was the
 * largest share of a small request's allocation. One line buffer per connection is reused.
 */
final class EtcdResponseParser implements HttpMessageParser<ClassicHttpResponse> {

  /** What the classic client needs (framing, reuse, keep-alive) and what this library reads. */
  private static final String[] KEPT = {
    "Content-Length",
    "Transfer-Encoding",
    "Connection",
    "Keep-Alive",
    "Content-Type",
    "Content-Encoding",
    "X-Etcd-Index"
  };

  private final CharArrayBuffer line = new CharArrayBuffer(128);
  private final int maxHeaderCount;

  EtcdResponseParser(Http1Config config) {
    Http1Config effective = config == null ? Http1Config.DEFAULT : config;
    this.maxHeaderCount = effective.getMaxHeaderCount();
  }

  @Override
  public ClassicHttpResponse parse(SessionInputBuffer buffer, InputStream in)
      throws IOException, HttpException {
    line.clear();
    if (buffer.readLine(line, in) == -1) {
      throw new NoHttpResponseException("The target server failed to respond");
    }
    StatusLine status = BasicLineParser.INSTANCE.parseStatusLine(line);
    ClassicHttpResponse response =
        new BasicClassicHttpResponse(status.getStatusCode(), status.getReasonPhrase());
    response.setVersion(status.getProtocolVersion());
    int count = 0;
    while (true) {
      line.clear();
      if (buffer.readLine(line, in) == -1) {
        throw new ConnectionClosedException("Connection closed in the middle of the headers");
      }
      if (line.isEmpty()) {
        return response;
      }
      if (maxHeaderCount > 0 && ++count > maxHeaderCount) {
        throw new MessageConstraintException("Maximum header count exceeded");
      }
      char first = line.charAt(0);
      if (first == ' ' || first == '\t') {
        throw new ProtocolException("Folded header lines are not supported: " + line);
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new ProtocolException("Invalid header: " + line);
      }
      String name = kept(colon);
      if (name != null) {
        response.addHeader(new BasicHeader(name, line.substringTrimmed(colon + 1, line.length())));
      }
    }
  }

  /** The kept header whose name is {@code line[0, length)}, ignoring case; {@code null} if none. */
  private @Nullable String kept(int length) {
    char[] chars = line.array();
    for (String name : KEPT) {
      if (name.length() == length && equalsIgnoreCase(name, chars, length)) {
        return name;
      }
    }
    return null;
  }

  /** ASCII case-insensitive comparison: header names are ASCII tokens. */
  private static boolean equalsIgnoreCase(String name, char[] chars, int length) {
    for (int i = 0; i < length; i++) {
      char a = name.charAt(i);
      char b = chars[i];
      if (a == b) {
        continue;
      }
      char lower = (char) (a | 0x20);
      if (lower < 'a' || lower > 'z' || lower != (b | 0x20)) {
        return false;
      }
    }
    return true;
  }
}
