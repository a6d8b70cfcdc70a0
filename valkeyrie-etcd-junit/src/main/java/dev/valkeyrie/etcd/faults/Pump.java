package dev.valkeyrie.etcd.faults;

import dev.valkeyrie.etcd.faults.FaultControl.Setting;
import dev.valkeyrie.etcd.faults.FaultControl.Wake;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import org.jspecify.annotations.Nullable;

/**
 * Copies one direction of one connection, asking the proxy's current fault before every piece it
 * passes on, so that a fault injected while a connection is open acts on it at its next chunk.
 * Holding (blackhole, stalls) means waiting with the chunk in hand and not reading on: the kernel's
 * buffers and TCP's flow control hold the rest, and nothing is lost if the fault is lifted.
 *
 * <p>Blocking points and what ends them: reads and writes (the connection's sockets are closed) and
 * waits in {@link FaultControl#await} (woken when another fault is injected, the connection ends or
 * the proxy closes).
 */
final class Pump {
  private static final int BUFFER_SIZE = 64 * 1024;

  private final Direction direction;
  private final Socket from;
  private final Socket to;
  private final FaultControl control;
  private final Connection connection;
  private final HeaderEnd headerEnd = new HeaderEnd();
  private @Nullable Setting seen; // null until the first chunk
  // Bytes passed on since the setting `seen` took effect on this connection.
  private long passed;

  Pump(Direction direction, Socket from, Socket to, FaultControl control, Connection connection) {
    this.direction = direction;
    this.from = from;
    this.to = to;
    this.control = control;
    this.connection = connection;
  }

  void run() {
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      byte[] buffer = new byte[BUFFER_SIZE];
      while (true) {
        int n = in.read(buffer);
        if (n < 0) {
          if (passEndOfStream()) {
            to.shutdownOutput();
            connection.finished(direction);
          }
          return;
        }
        if (!pass(buffer, n, out)) {
          return;
        }
      }
    } catch (IOException e) {
      // A peer reset or closed, or the proxy cut the connection: pass the reset on.
      connection.reset();
    } catch (InterruptedException e) {
      // Only close() interrupts, as a backstop; it resets the connection itself.
      connection.reset();
    }
  }

  /**
   * Passes {@code buffer[0, length)} on as the faults allow.
   *
   * @return false if the connection ended here (reset, clean close, proxy closed)
   */
  private boolean pass(byte[] buffer, int length, OutputStream out)
      throws IOException, InterruptedException {
    int off = 0;
    while (off < length) {
      Setting setting = current();
      Fault fault = setting.fault();
      int left = length - off;
      switch (effectiveKind(fault)) {
        case BLACKHOLE -> {
          if (!hold(setting)) {
            return false;
          }
        }
        case DELAY -> {
          Wake wake = control.await(setting, fault.interval(), connection);
          if (wake == Wake.CLOSED) {
            return false;
          }
          if (wake == Wake.ELAPSED) {
            off += write(out, buffer, off, left);
          } // CHANGED: decide again under the new fault
        }
        case TRICKLE -> {
          off += write(out, buffer, off, (int) Math.min(left, fault.bytes()));
          if (control.await(setting, fault.interval(), connection) == Wake.CLOSED) {
            return false;
          }
        }
        case STALL_AFTER -> {
          if (passed >= fault.bytes()) {
            if (!hold(setting)) {
              return false;
            }
          } else {
            off += write(out, buffer, off, (int) Math.min(left, fault.bytes() - passed));
          }
        }
        case RESET_AFTER -> {
          if (passed < fault.bytes()) {
            off += write(out, buffer, off, (int) Math.min(left, fault.bytes() - passed));
          }
          if (passed >= fault.bytes()) {
            connection.reset();
            return false;
          }
        }
        case STALL_AFTER_HEADERS, CLOSE_AFTER_HEADERS -> {
          if (!headerEnd.found()) {
            int end = headerEnd.scan(buffer, off, length);
            off += write(out, buffer, off, (end < 0 ? length : end) - off);
          }
          if (headerEnd.found()) {
            if (fault.kind() == Fault.Kind.CLOSE_AFTER_HEADERS) {
              connection.closeCleanly();
              return false;
            }
            if (off < length && !hold(setting)) {
              return false;
            }
          }
        }
        default -> off += write(out, buffer, off, left);
      }
    }
    return true;
  }

  /**
   * An end of stream must wait as data would: a stalled or blackholed direction does not pass it on
   * either. Delays and trickles are not applied to it.
   *
   * @return false if the proxy closed while it waited
   */
  private boolean passEndOfStream() throws InterruptedException {
    while (true) {
      Setting setting = current();
      Fault fault = setting.fault();
      boolean holds =
          switch (effectiveKind(fault)) {
            case BLACKHOLE -> true;
            case STALL_AFTER -> passed >= fault.bytes();
            case STALL_AFTER_HEADERS -> headerEnd.found();
            default -> false;
          };
      if (!holds) {
        return true;
      }
      if (!hold(setting)) {
        return false;
      }
    }
  }

  /** The fault's kind where it acts on this direction; {@link Fault.Kind#PASS} where not. */
  private Fault.Kind effectiveKind(Fault fault) {
    Fault.Kind kind = fault.kind();
    if (kind == Fault.Kind.REFUSE) {
      return Fault.Kind.PASS; // refusing concerns new connections only
    }
    if (direction == Direction.REQUEST
        && kind != Fault.Kind.BLACKHOLE
        && kind != Fault.Kind.DELAY) {
      return Fault.Kind.PASS;
    }
    return kind;
  }

  /** The setting in force; a new one restarts the counts. */
  private Setting current() {
    Setting setting = control.setting();
    if (setting != seen) {
      seen = setting;
      passed = 0;
      headerEnd.reset();
    }
    return setting;
  }

  /**
   * Waits until another fault is injected.
   *
   * @return false if the proxy closed or the connection ended instead
   */
  private boolean hold(Setting setting) throws InterruptedException {
    return control.await(setting, null, connection) != Wake.CLOSED;
  }

  private int write(OutputStream out, byte[] buffer, int off, int length) throws IOException {
    if (length > 0) {
      // Counted first: whoever has seen these bytes arrive must also see them counted.
      control.forwarded(direction, length);
      out.write(buffer, off, length);
      passed += length;
    }
    return length;
  }
}
