package dev.valkeyrie.etcd.faults;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * One accepted client connection and its connection on to the server, with a pump thread per
 * direction. The request thread connects to the server first, so that accepting never waits for the
 * server.
 *
 * <p>A connection ends in one of three ways: both directions reached end of stream (each end is
 * passed on as a half close, and the sockets close once both are done); a reset (a fault, {@link
 * FaultProxy#cutAll()}, close(), or an error on either side: both sockets are closed with SO_LINGER
 * 0, so each peer sees a RST, as it would if the other had crashed); or a clean close after the
 * headers. Whichever comes first wins; the others then do nothing.
 */
final class Connection {
  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

  private final long id;
  private final Socket client;
  private final Socket server = new Socket();
  private final InetSocketAddress target;
  private final FaultControl control;
  private final ProxyThreads threads;
  private final Consumer<Connection> onEnd;
  private final List<Thread> pumps = new CopyOnWriteArrayList<>();
  private int directionsDone;
  private volatile boolean ended;

  Connection(
      long id,
      Socket client,
      InetSocketAddress target,
      FaultControl control,
      ProxyThreads threads,
      Consumer<Connection> onEnd) {
    this.id = id;
    this.client = client;
    this.target = target;
    this.control = control;
    this.threads = threads;
    this.onEnd = onEnd;
  }

  long id() {
    return id;
  }

  boolean isEnded() {
    return ended;
  }

  /** Called by {@link ProxyThreads} before one of this connection's pump threads starts. */
  void adopt(Thread pump) {
    pumps.add(pump);
  }

  /**
   * Waits until this connection's pump threads have ended. A socket closed while a thread is
   * blocked reading it is closed for real (and its RST sent) only when that thread leaves the read:
   * the JDK defers the close to the last thread out.
   */
  void awaitPumps(Duration timeout) {
    for (Thread pump : pumps) {
      ProxyThreads.join(pump, timeout);
    }
  }

  /** The request thread's task: connect on, start the answer thread, pump the request. */
  void run() {
    try {
      client.setTcpNoDelay(true);
      server.setTcpNoDelay(true);
      server.connect(target, CONNECT_TIMEOUT_MILLIS);
    } catch (IOException e) {
      // The server is down or closing (or this connection was cut meanwhile): to the client,
      // the proxy is that server, so it gets the reset a crashed server would give.
      reset();
      return;
    }
    Pump answer = new Pump(Direction.ANSWER, server, client, control, this);
    if (threads.start(id + "-" + Direction.ANSWER.label(), answer::run, this) == null) {
      reset(); // the proxy is closing
      return;
    }
    new Pump(Direction.REQUEST, client, server, control, this).run();
  }

  /** A pump passed its end of stream on; the sockets close once both have. */
  void finished(Direction direction) {
    synchronized (this) {
      if (ended || ++directionsDone < 2) {
        return;
      }
      ended = true;
    }
    closeQuietly(client);
    closeQuietly(server);
    ended();
  }

  /** Resets both sides now (SO_LINGER 0 and close). Unblocks both pumps. */
  void reset() {
    if (!end()) {
      return;
    }
    resetQuietly(client);
    resetQuietly(server);
    ended();
  }

  /** Ends the client's stream with a FIN (what it has received stays valid), and drops the rest. */
  void closeCleanly() {
    if (!end()) {
      return;
    }
    try {
      client.shutdownOutput();
    } catch (IOException e) {
      // Already gone; closing is all that is left.
    }
    closeQuietly(client);
    closeQuietly(server);
    ended();
  }

  @Override
  public String toString() {
    return "Connection[" + id + " " + client.getRemoteSocketAddress() + " -> " + target + "]";
  }

  private synchronized boolean end() {
    if (ended) {
      return false;
    }
    ended = true;
    return true;
  }

  /** After the sockets are closed: deregisters, and wakes this connection's waiting pumps. */
  private void ended() {
    onEnd.accept(this);
    control.wakeAll();
  }

  private static void resetQuietly(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
    } catch (IOException e) {
      // Closed already or never connected: close() below is still right.
    }
    closeQuietly(socket);
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Nothing useful to do; the socket is unusable either way.
    }
  }
}
