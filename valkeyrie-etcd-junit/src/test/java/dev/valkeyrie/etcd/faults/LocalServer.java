package dev.valkeyrie.etcd.faults;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server behind the proxy in tests that need no etcd: a byte echo, or a tiny HTTP/1.1 responder
 * that answers every request (keep-alive) with the same 200 and counts the requests it received, so
 * a test can tell independently of the proxy's counters whether a request got through. Threads are
 * daemon and end on close().
 */
final class LocalServer implements AutoCloseable {
  private interface Handler {
    void serve(InputStream in, OutputStream out) throws IOException;
  }

  private final ServerSocket listener;
  private final Handler handler;
  private final byte[] response;
  private final AtomicInteger requests = new AtomicInteger();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();

  private LocalServer(byte[] response, boolean echo) throws IOException {
    this.response = response;
    this.handler = echo ? LocalServer::echo : this::http;
    this.listener = new ServerSocket();
    listener.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0));
    start("accept", this::acceptAll);
  }

  /** Sends back every byte it receives, until the client ends its stream. */
  static LocalServer echo() throws IOException {
    return new LocalServer(new byte[0], true);
  }

  /** Answers every HTTP/1.1 request with a 200 carrying {@code body}. */
  static LocalServer http(byte[] body) throws IOException {
    String head =
        "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: "
            + body.length
            + "\r\n\r\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(body);
    return new LocalServer(out.toByteArray(), false);
  }

  /** {@code 127.0.0.1:<port>}, the proxy's target. */
  String endpoint() {
    return "127.0.0.1:" + listener.getLocalPort();
  }

  /** The whole answer to one request: status line, headers and body. */
  byte[] response() {
    return response.clone();
  }

  /** How many bytes of {@link #response()} are the status line and headers. */
  int headerLength() {
    return indexAfterHeaders(response);
  }

  /** Requests received completely (headers and body). */
  int requests() {
    return requests.get();
  }

  @Override
  public void close() {
    try {
      listener.close();
    } catch (IOException e) {
      // closing anyway
    }
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
    boolean interrupted = false;
    for (Thread t : threads) {
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void acceptAll() {
    while (true) {
      Socket socket;
      try {
        socket = listener.accept();
      } catch (IOException e) {
        return; // closed
      }
      sockets.add(socket);
      start(
          "connection",
          () -> {
            try (Socket s = socket) {
              handler.serve(s.getInputStream(), s.getOutputStream());
            } catch (IOException e) {
              // reset by the proxy or closed by close(): the connection is over
            }
          });
    }
  }

  private static void echo(InputStream in, OutputStream out) throws IOException {
    in.transferTo(out);
  }

  private void http(InputStream raw, OutputStream out) throws IOException {
    InputStream in = new BufferedInputStream(raw);
    while (true) {
      byte[] head = readHead(in);
      if (head == null) {
        return; // the client ended the connection between requests
      }
      int length = contentLength(new String(head, StandardCharsets.ISO_8859_1));
      if (in.readNBytes(length).length < length) {
        return;
      }
      requests.incrementAndGet();
      out.write(response);
      out.flush();
    }
  }

  /** Reads up to and including {@code \r\n\r\n}; null on end of stream. */
  private static byte[] readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      head.write(b);
      byte[] bytes = head.toByteArray();
      if (indexAfterHeaders(bytes) > 0) {
        return bytes;
      }
    }
    return null;
  }

  private static int contentLength(String head) {
    return head.lines()
        .filter(line -> line.toLowerCase(Locale.ROOT).startsWith("content-length:"))
        .findFirst()
        .map(line -> Integer.parseInt(line.substring("content-length:".length()).trim()))
        .orElse(0);
  }

  /** The index just past the first {@code \r\n\r\n}, or -1. */
  static int indexAfterHeaders(byte[] bytes) {
    for (int i = 3; i < bytes.length; i++) {
      if (bytes[i - 3] == '\r'
          && bytes[i - 2] == '\n'
          && bytes[i - 1] == '\r'
          && bytes[i] == '\n') {
        return i + 1;
      }
    }
    return -1;
  }

  private void start(String name, Runnable task) {
    Thread thread = new Thread(task, "local-server-" + listener.getLocalPort() + "-" + name);
    thread.setDaemon(true);
    threads.add(thread);
    thread.start();
  }
}
