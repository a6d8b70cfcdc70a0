package dev.valkeyrie.etcd.faults;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A plain socket to a proxy, for tests that look at exactly which bytes arrive. Reads give up after
 * 10 s, so a broken test fails instead of hanging.
 */
final class RawClient implements AutoCloseable {
  /** One request, as the {@link LocalServer} HTTP responder expects it. */
  static final String GET = "GET /data HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

  /** How long {@link #assertNothingArrives()} watches. */
  private static final int QUIET_MILLIS = 300;

  private static final int READ_TIMEOUT_MILLIS = 10_000;

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private RawClient(Socket socket) throws IOException {
    this.socket = socket;
    socket.setSoTimeout(READ_TIMEOUT_MILLIS);
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  static RawClient connect(FaultProxy proxy) throws IOException {
    return new RawClient(
        new Socket(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), proxy.port()));
  }

  RawClient send(String text) throws IOException {
    return send(text.getBytes(StandardCharsets.US_ASCII));
  }

  RawClient send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  /** Exactly {@code n} bytes; fewer only if the stream ended. */
  byte[] read(int n) throws IOException {
    return in.readNBytes(n);
  }

  /** Everything up to the end of the stream. */
  byte[] readToEnd() throws IOException {
    return in.readAllBytes();
  }

  /** Up to and including the first {@code \r\n\r\n}, or all until the end of the stream. */
  byte[] readHeaders() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      head.write(b);
      if (LocalServer.indexAfterHeaders(head.toByteArray()) > 0) {
        break;
      }
    }
    return head.toByteArray();
  }

  /** The connection is open (no end of stream, no reset) but no byte arrives for a while. */
  void assertNothingArrives() throws IOException {
    socket.setSoTimeout(QUIET_MILLIS);
    try {
      assertThatThrownBy(in::read).isInstanceOf(SocketTimeoutException.class);
    } finally {
      socket.setSoTimeout(READ_TIMEOUT_MILLIS);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
