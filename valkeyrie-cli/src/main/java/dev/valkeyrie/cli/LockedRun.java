package dev.valkeyrie.cli;

import dev.valkeyrie.store.Lease;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * One run of {@code lock}'s command while the lock is held: starts it, passes signals on, and stops
 * it if the lock is lost first. Returns the exit code for {@code lock}.
 */
final class LockedRun {
  static final String KEY_ENV = "VALKEYRIE_LOCK_KEY";
  static final String FENCING_TOKEN_ENV = "VALKEYRIE_LOCK_FENCING_TOKEN";

  private static final Object EXITED = new Object();
  private static final Object LOST = new Object();

  private final String key;
  private final List<String> command;
  private final Duration grace;
  private final PrintStream err;

  LockedRun(String key, List<String> command, Duration grace, PrintStream err) {
    this.key = key;
    this.command = List.copyOf(command);
    this.grace = grace;
    this.err = err;
  }

  int run(Lease lease, SignalRelay relay) throws InterruptedException {
    ChildProcess child;
    try {
      err.flush();
      child =
          ChildProcess.start(
              command,
              Map.of(KEY_ENV, key, FENCING_TOKEN_ENV, Long.toString(lease.fencingToken())));
    } catch (IOException e) {
      err.println("valkeyrie: cannot run '" + command.get(0) + "': " + ChildProcess.reason(e));
      return ChildProcess.startFailureCode(e);
    }
    BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    // Each only queues an event; nothing waits on what they return.
    var unusedExit = child.onExit().thenRun(() -> events.add(EXITED));
    var unusedLoss = lease.released().thenRun(() -> events.add(LOST));
    boolean foreground = Terminal.inForegroundGroup();
    relay.forwardTo(events::add);
    while (true) {
      Object event = events.take();
      if (event == EXITED) {
        return child.exitCode();
      }
      if (event == LOST) {
        if (!child.isAlive()) {
          return child.exitCode();
        }
        err.println(
            "valkeyrie: lost the lock on '"
                + key
                + "' while the command was running"
                + " (not renewed in time, or removed or taken over); stopping the command (pid "
                + child.pid()
                + ")");
        child.stop(grace);
        return ExitCodes.LOCK_LOST;
      }
      String signal = (String) event;
      if (signal.equals("TERM") || !foreground) {
        child.signal(signal);
      }
    }
  }
}
