package dev.valkeyrie.etcd.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A TCP proxy on a free {@code 127.0.0.1} port that forwards every connection byte for byte to one
 * target (an etcd member's client port, say) and injects network faults on demand: a blackhole,
 * resets, stalls, trickles, latency, refused connections. It does not parse what it forwards, so it
 * serves plain HTTP/1.1, TLS and HTTP/2 (gRPC) alike; only the "after headers" faults read the
 * answer as HTTP/1.1 text.
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.start(member.clientEndpoint())) {
 *   String endpoint = "http://" + proxy.endpoint();     // give this to the client under test
 *   proxy.inject(Fault.blackhole());                     // requests now hang
 *   ...
 *   proxy.heal();                                        // and go through again
 * }
 * }</pre>
 *
 * <p>{@link #inject(Fault)} may be called at any time, from any thread. A fault applies to new
 * connections and, at their next chunk, to open ones (see {@link Fault} for each). {@link
 * #cutAll()} resets what is open. Counters tell whether a request reached the server at all.
 *
 * <p>Threads: one accepting, and two per connection (one per direction), all daemon and named
 * {@code fault-proxy-<port>-...}. {@link #close()} closes every socket and returns only once every
 * one of these threads has ended.
 */
public final class FaultProxy implements AutoCloseable {
  private static final InetAddress LOOPBACK = loopback();
  private static final int BACKLOG = 50;
  private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(10);

  private final InetSocketAddress target;
  private final int port;
  private final FaultControl control = new FaultControl();
  private final ProxyThreads threads;
  private final Set<Connection> open = ConcurrentHashMap.newKeySet();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong connectionIds = new AtomicLong();
  // Guarded by this: both null while refusing, and after close().
  private @Nullable ServerSocket listener;
  private @Nullable Thread acceptor;
  // Written under the lock; read without it when a connection registers.
  private volatile boolean closed;

  private FaultProxy(InetSocketAddress target) throws IOException {
    this.target = target;
    ServerSocket socket = bind(0);
    this.port = socket.getLocalPort();
    this.threads = new ProxyThreads(port);
    listen(socket);
  }

  /**
   * Starts a proxy to {@code target}, forwarding ({@link Fault#pass()}).
   *
   * @param target {@code 127.0.0.1:<port>}, or a URL such as {@code http://127.0.0.1:2379} (what
   *     {@code EtcdMember.clientEndpoint()} returns); the host must be a loopback address literal
   *     or {@code localhost}
   * @throws IllegalArgumentException if the target is malformed or not on loopback
   * @throws UncheckedIOException if no loopback port can be bound
   */
  public static FaultProxy start(String target) {
    return start(Targets.parse(target));
  }

  /**
   * Starts a proxy to {@code target}, forwarding.
   *
   * @throws IllegalArgumentException if the target is not a resolved loopback address
   */
  public static FaultProxy start(InetSocketAddress target) {
    Objects.requireNonNull(target, "target");
    if (target.isUnresolved() || !target.getAddress().isLoopbackAddress()) {
      throw new IllegalArgumentException("the target must be on loopback, not " + target);
    }
    try {
      return new FaultProxy(target);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on a loopback port", e);
    }
  }

  /** Where clients connect: {@code 127.0.0.1:<port>}. The same for the proxy's whole life. */
  public String endpoint() {
    return LOOPBACK.getHostAddress() + ":" + port;
  }

  /** The port clients connect to. */
  public int port() {
    return port;
  }

  /** Where the proxy forwards to. */
  public InetSocketAddress target() {
    return target;
  }

  /**
   * From now on, {@code fault} is in force: for new connections, and for open ones at their next
   * chunk. Returns once it is: after {@link Fault#refuse()} new connections are refused, after
   * anything else they are accepted again on the same port.
   *
   * @throws UncheckedIOException if the port cannot be listened on again (another process took it
   *     while refusing)
   * @throws IllegalStateException if the proxy is closed
   */
  public synchronized void inject(Fault fault) {
    Objects.requireNonNull(fault, "fault");
    if (closed) {
      throw new IllegalStateException("fault proxy " + endpoint() + " is closed");
    }
    boolean refuse = fault.kind() == Fault.Kind.REFUSE;
    if (refuse && listener != null) {
      closeQuietly(listener);
      // With a thread blocked in accept(), ServerSocket.close() returns before the kernel's
      // socket is closed (the JDK pre-closes the descriptor; the blocked thread closes it for
      // real on its way out). Until then connects still complete (and are reset moments later),
      // and listening again fails with "Address already in use". Hence: wait for that thread.
      Thread accepting = acceptor; // null if the threads were already being joined
      if (accepting != null) {
        ProxyThreads.join(accepting, JOIN_TIMEOUT);
      }
      listener = null;
      acceptor = null;
    } else if (!refuse && listener == null) {
      try {
        listen(bind(port));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot listen on port " + port + " again", e);
      }
    }
    control.inject(fault);
  }

  /**
   * Back to {@link Fault#pass()}: new connections are accepted and forwarded, and open ones go on
   * where they can (held bytes are passed on). Reset or closed connections stay ended.
   */
  public void heal() {
    inject(Fault.pass());
  }

  /** The fault in force. */
  public Fault fault() {
    return control.setting().fault();
  }

  /**
   * Resets every open connection: both the client and the server see a RST. Returns once the RSTs
   * are sent.
   *
   * @return how many connections were open
   */
  public int cutAll() {
    List<Connection> all = new ArrayList<>(open);
    all.forEach(Connection::reset);
    for (Connection connection : all) {
      connection.awaitPumps(JOIN_TIMEOUT);
    }
    return all.size();
  }

  /** Connections accepted since start, including ended ones. */
  public long acceptedConnections() {
    return accepted.get();
  }

  /** Connections accepted and not yet ended. */
  public int openConnections() {
    return open.size();
  }

  /**
   * Bytes passed on from clients to the server, over all connections. Counted as they are handed to
   * the socket, so a client that has its answer sees its request counted; bytes the proxy read but
   * holds back (blackhole, delay) are not.
   */
  public long bytesToServer() {
    return control.bytesToServer();
  }

  /** Bytes passed on from the server to clients, over all connections; counted the same way. */
  public long bytesToClient() {
    return control.bytesToClient();
  }

  /**
   * Stops listening, resets every open connection and waits until all of the proxy's threads have
   * ended. Idempotent.
   *
   * @throws IllegalStateException if a thread is still running after 10 seconds (a bug)
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      if (listener != null) {
        closeQuietly(listener);
        listener = null;
      }
    }
    control.close(); // wakes every pump waiting out a hold, trickle or delay
    // A connection registering from now on resets itself (see accept).
    new ArrayList<>(open).forEach(Connection::reset);
    threads.joinAll(JOIN_TIMEOUT);
  }

  @Override
  public String toString() {
    return "FaultProxy["
        + endpoint()
        + " -> "
        + target.getAddress().getHostAddress()
        + ":"
        + target.getPort()
        + ", "
        + fault()
        + (control.isClosed() ? ", closed" : "")
        + "]";
  }

  private static ServerSocket bind(int port) throws IOException {
    ServerSocket socket = new ServerSocket();
    try {
      socket.setReuseAddress(true); // so heal can listen again despite old connections' TIME_WAIT
      socket.bind(new InetSocketAddress(LOOPBACK, port), BACKLOG);
      return socket;
    } catch (IOException e) {
      closeQuietly(socket);
      throw e;
    }
  }

  /** Caller holds the lock, or is the constructor. */
  private void listen(ServerSocket socket) {
    listener = socket;
    // Never null: threads are refused only after close(), which is excluded by the lock.
    acceptor = threads.start("accept", () -> acceptAll(socket));
  }

  /** Accepts until {@code socket} is closed (by refuse or close()). */
  private void acceptAll(ServerSocket socket) {
    while (!socket.isClosed()) {
      Socket client;
      try {
        client = socket.accept();
      } catch (SocketException closedOrBroken) {
        continue; // the loop condition tells which
      } catch (IOException e) {
        // Out of file descriptors, say: keep listening, without spinning.
        if (!pauseBriefly()) {
          return;
        }
        continue;
      }
      accept(client);
    }
  }

  private void accept(Socket client) {
    accepted.incrementAndGet();
    long id = connectionIds.incrementAndGet();
    Connection connection = new Connection(id, client, target, control, threads, open::remove);
    // Added before closed is read, and close() sets closed before it sweeps: either close()
    // sees this connection, or this sees closed (both are volatile accesses).
    open.add(connection);
    if (closed
        || threads.start(id + "-" + Direction.REQUEST.label(), connection::run, connection)
            == null) {
      connection.reset();
    }
  }

  private static boolean pauseBriefly() {
    try {
      Thread.sleep(10);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // Nothing useful to do: it is unusable either way.
    }
  }

  private static InetAddress loopback() {
    try {
      return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
    } catch (IOException e) {
      throw new ExceptionInInitializerError(e);
    }
  }
}
