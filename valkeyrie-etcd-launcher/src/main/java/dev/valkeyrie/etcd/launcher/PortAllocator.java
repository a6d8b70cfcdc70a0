package dev.valkeyrie.etcd.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds free loopback ports the way Curator's {@code InstanceSpec} does: bind port 0, read the
 * port, close. Another process may grab the port before etcd binds it; {@link ClusterStart} and
 * {@link MemberAddition} then try again with new ports, up to {@link #ATTEMPTS} times.
 */
final class PortAllocator {
  static final InetAddress LOOPBACK = loopback();

  /** Tries of a start with fresh ports before a taken port is reported as the failure. */
  static final int ATTEMPTS = 3;

  private static final String PORT_TAKEN = "address already in use";

  // The kernel can hand out the same ephemeral port twice in a row once the probe socket is
  // closed; never give the same port to two members started by this JVM.
  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

  private PortAllocator() {}

  static int freePort() {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port;
      try (ServerSocket socket = new ServerSocket(0, 1, LOOPBACK)) {
        port = socket.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot bind a loopback port", e);
      }
      if (HANDED_OUT.add(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no free loopback port found");
  }

  /** Whether an etcd log shows that a port was taken by someone else before etcd could bind it. */
  static boolean portTakenIn(Path logFile) {
    return LogTail.contains(logFile, PORT_TAKEN);
  }

  private static InetAddress loopback() {
    try {
      // By address, not by name: no resolver involved, and never anything but 127.0.0.1.
      return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
    } catch (IOException e) {
      throw new ExceptionInInitializerError(e);
    }
  }
}
