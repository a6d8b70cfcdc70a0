package dev.valkeyrie.etcd.faults;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link FaultProxy} does to the bytes it forwards. "Request" is client to server, "answer"
 * is server to client. Immutable; equal when kind and parameters are equal.
 *
 * <p>The counting faults ({@link #resetAfter}, {@link #stallAfter}, {@link #stallAfterHeaders},
 * {@link #closeAfterHeaders}) count per connection from the moment the fault takes effect on it:
 * for a new connection that is the start of its answer; for an open one (a pooled keep-alive
 * connection, say) it is the next answer byte, so its next response is treated like the first
 * response of a new connection. Every {@link FaultProxy#inject(Fault)} starts the count afresh.
 *
 * <p>Where a fault holds bytes back (blackhole, stalls), the proxy stops reading that direction
 * with the last chunk it read in hand: nothing is lost, and after {@link FaultProxy#heal()} the
 * held bytes go on as TCP's retransmissions would after a healed partition.
 */
public final class Fault {
  /** The kinds; the proxy's pumps switch on them. */
  enum Kind {
    PASS,
    BLACKHOLE,
    RESET_AFTER,
    TRICKLE,
    STALL_AFTER_HEADERS,
    CLOSE_AFTER_HEADERS,
    STALL_AFTER,
    DELAY,
    REFUSE
  }

  private static final Fault PASS = new Fault(Kind.PASS, 0, null);
  private static final Fault BLACKHOLE = new Fault(Kind.BLACKHOLE, 0, null);
  private static final Fault STALL_AFTER_HEADERS = new Fault(Kind.STALL_AFTER_HEADERS, 0, null);
  private static final Fault CLOSE_AFTER_HEADERS = new Fault(Kind.CLOSE_AFTER_HEADERS, 0, null);
  private static final Fault REFUSE = new Fault(Kind.REFUSE, 0, null);

  private final Kind kind;
  private final long bytes;
  private final @Nullable Duration interval;

  private Fault(Kind kind, long bytes, @Nullable Duration interval) {
    this.kind = kind;
    this.bytes = bytes;
    this.interval = interval;
  }

  /** Plain forwarding, both ways. */
  public static Fault pass() {
    return PASS;
  }

  /**
   * Connections are accepted (and connected on to the server), but nothing is forwarded either way
   * and nothing is answered; connections stay open, as with a network partition. Applies to open
   * connections too: their forwarding stops both ways at the next chunk.
   */
  public static Fault blackhole() {
    return BLACKHOLE;
  }

  /**
   * Forwards the answer until {@code bytes} bytes of it have passed, then resets the connection
   * (SO_LINGER 0 and close: the client reads those bytes, then gets "Connection reset"). With 0,
   * the reset comes when the server starts answering: the request reached the server, the answer is
   * lost (a write whose outcome the client cannot know).
   *
   * <p>Exact as long as the {@code bytes} fit in the client's socket buffers (some hundred KiB on
   * loopback): bytes still in the proxy's send buffer when it resets are discarded by the kernel.
   */
  public static Fault resetAfter(long bytes) {
    return new Fault(Kind.RESET_AFTER, nonNegative(bytes), null);
  }

  /**
   * Forwards the answer in chunks of at most {@code bytes}, one chunk per {@code interval}: a slow
   * network. The request passes unchanged.
   */
  public static Fault trickle(int bytes, Duration interval) {
    if (bytes < 1) {
      throw new IllegalArgumentException("bytes must be at least 1, was " + bytes);
    }
    return new Fault(Kind.TRICKLE, bytes, positive(interval));
  }

  /**
   * Forwards an HTTP/1.1 answer up to and including the end of its headers ({@code \r\n\r\n}), then
   * nothing more; the connection stays open. Meaningless for TLS or HTTP/2, whose bytes are not
   * HTTP/1.1 text.
   */
  public static Fault stallAfterHeaders() {
    return STALL_AFTER_HEADERS;
  }

  /**
   * Like {@link #stallAfterHeaders()}, but then closes the connection cleanly (a FIN, not a reset):
   * the client reads the headers and then the end of the stream.
   */
  public static Fault closeAfterHeaders() {
    return CLOSE_AFTER_HEADERS;
  }

  /** Forwards {@code bytes} bytes of the answer, then nothing more; the connection stays open. */
  public static Fault stallAfter(long bytes) {
    return new Fault(Kind.STALL_AFTER, nonNegative(bytes), null);
  }

  /**
   * Forwards both ways, holding every chunk back for {@code latency} before passing it on. A chunk
   * is what one read returned (up to 64 KiB), so throughput drops to a chunk per latency per
   * direction; fine for request/response traffic, slow for bulk transfers.
   */
  public static Fault delay(Duration latency) {
    return new Fault(Kind.DELAY, 0, positive(latency));
  }

  /**
   * New connections are refused: the proxy closes its listening socket, so connecting fails with
   * {@link java.net.ConnectException} as with a server that is down; any other fault (or {@link
   * FaultProxy#heal()}) listens again on the same port. Open connections carry on as with {@link
   * #pass()}; add {@link FaultProxy#cutAll()} to drop them too.
   */
  public static Fault refuse() {
    return REFUSE;
  }

  Kind kind() {
    return kind;
  }

  /** The byte count or chunk size of the counting faults and trickle. */
  long bytes() {
    return bytes;
  }

  /** The interval of trickle, the latency of delay; {@code null} otherwise. */
  @Nullable Duration interval() {
    return interval;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Fault f
        && f.kind == kind
        && f.bytes == bytes
        && Objects.equals(f.interval, interval);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, bytes, interval);
  }

  /** {@code PASS}, {@code RESET_AFTER(100)}, {@code TRICKLE(1024, PT0.5S)}, ... */
  @Override
  public String toString() {
    return switch (kind) {
      case RESET_AFTER, STALL_AFTER -> kind + "(" + bytes + ")";
      case TRICKLE -> kind + "(" + bytes + ", " + interval + ")";
      case DELAY -> kind + "(" + interval + ")";
      default -> kind.toString();
    };
  }

  private static long nonNegative(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes must not be negative, was " + bytes);
    }
    return bytes;
  }

  private static Duration positive(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("duration must be positive, was " + duration);
    }
    return duration;
  }
}
