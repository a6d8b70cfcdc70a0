package dev.valkeyrie.benchmarks.stacks;

import dev.valkeyrie.etcdv2.internal.http.HttpCall;
import dev.valkeyrie.etcdv2.internal.http.HttpResult;
import dev.valkeyrie.etcdv2.internal.http.HttpTransport;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * A floor, not a candidate: the least a Java HTTP/1.1 client can do (blocking sockets in the
 * calling thread, a deque of keep-alive connections, a hand-written response parser that handles
 * only what etcd sends). It shows what the thread hand-offs of a non-blocking stack cost.
 */
public final class RawSocketTransport implements HttpTransport {
  private final ConcurrentLinkedDeque<Conn> idle = new ConcurrentLinkedDeque<>();
  private final ConcurrentLinkedDeque<Conn> all = new ConcurrentLinkedDeque<>();

  private static final class Conn {
    final Socket socket;
    final InputStream in;
    final OutputStream out;

    Conn(Socket socket) throws IOException {
      this.socket = socket;
      this.in = new BufferedInputStream(socket.getInputStream(), 16384);
      this.out = socket.getOutputStream();
    }
  }

  @Override
  public CompletableFuture<HttpResult> send(HttpCall call) {
    Conn conn = idle.pollFirst();
    try {
      if (conn == null) {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(call.uri().getHost(), call.uri().getPort()), 5000);
        conn = new Conn(socket);
        all.add(conn);
      }
      conn.socket.setSoTimeout((int) Math.max(1, call.timeout().toMillis()));
      StringBuilder head = new StringBuilder(256)
          .append(call.method()).append(' ').append(call.uri().getRawPath());
      if (call.uri().getRawQuery() != null) {
        head.append('?').append(call.uri().getRawQuery());
      }
      head.append(" HTTP/1.1\r\nHost: ").append(call.uri().getHost()).append(':')
          .append(call.uri().getPort()).append("\r\n");
      byte[] body = call.formBody();
      if (body != null) {
        head.append("Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ")
            .append(body.length).append("\r\n");
      }
      head.append("\r\n");
      byte[] headBytes = head.toString().getBytes(StandardCharsets.US_ASCII);
      if (body == null) {
        conn.out.write(headBytes);
      } else {
        byte[] all = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(body, 0, all, headBytes.length, body.length);
        conn.out.write(all);
      }
      HttpResult result = read(conn.in);
      idle.addFirst(conn);
      return CompletableFuture.completedFuture(result);
    } catch (IOException | RuntimeException e) {
      if (conn != null) {
        all.remove(conn);
        try {
          conn.socket.close();
        } catch (IOException ignored) {
          // closing a broken connection
        }
      }
      return CompletableFuture.failedFuture(e);
    }
  }

  private static HttpResult read(InputStream in) throws IOException {
    String status = line(in);
    int code = Integer.parseInt(status.substring(9, 12));
    String type = "";
    long index = -1;
    int length = -1;
    boolean chunked = false;
    for (String h = line(in); !h.isEmpty(); h = line(in)) {
      int colon = h.indexOf(':');
      String name = h.substring(0, colon);
      String value = h.substring(colon + 1).trim();
      if (name.equalsIgnoreCase("Content-Type")) {
        type = value;
      } else if (name.equalsIgnoreCase("X-Etcd-Index")) {
        index = Long.parseLong(value);
      } else if (name.equalsIgnoreCase("Content-Length")) {
        length = Integer.parseInt(value);
      } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
        chunked = value.equalsIgnoreCase("chunked");
      }
    }
    byte[] body;
    if (chunked) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (int size = Integer.parseInt(line(in), 16); size > 0;
          size = Integer.parseInt(line(in), 16)) {
        out.write(in.readNBytes(size));
        line(in);
      }
      line(in);
      body = out.toByteArray();
    } else {
      body = in.readNBytes(Math.max(0, length));
    }
    return new HttpResult(code, type, index, body);
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder s = new StringBuilder(64);
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("connection closed");
      }
      if (c != '\r') {
        s.append((char) c);
      }
    }
    return s.toString();
  }

  @Override
  public void close() {
    for (Conn c : all) {
      try {
        c.socket.close();
      } catch (IOException ignored) {
        // best effort
      }
    }
  }
}
