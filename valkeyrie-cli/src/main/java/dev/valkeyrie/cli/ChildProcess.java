package dev.valkeyrie.cli;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The command that {@code lock} runs: started with this process's standard input, output and error,
 * sent signals, and stopped (with whatever it started) when the lock is lost.
 */
final class ChildProcess {
  private final Process process;

  private ChildProcess(Process process) {
    this.process = process;
  }

  /**
   * Starts {@code command} with the inherited environment plus {@code extraEnv}.
   *
   * @throws IOException if it cannot be started (not found, not executable)
   */
  static ChildProcess start(List<String> command, Map<String, String> extraEnv) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
    builder.environment().putAll(extraEnv);
    return new ChildProcess(builder.start());
  }

  /** The exit code for a command that could not be started, as shells use them. */
  static int startFailureCode(IOException e) {
    String message = String.valueOf(e.getMessage());
    return message.contains("error=2,") ? ExitCodes.COMMAND_NOT_FOUND : ExitCodes.CANNOT_EXECUTE;
  }

  /** Why a command could not be started, e.g. {@code No such file or directory}. */
  static String reason(IOException e) {
    String message = String.valueOf(e.getMessage());
    int error = message.lastIndexOf("error=");
    int comma = error < 0 ? -1 : message.indexOf(", ", error);
    return comma < 0 ? message : message.substring(comma + 2);
  }

  CompletableFuture<Process> onExit() {
    return process.onExit();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** The exit code; 128 + n when a signal n ended it. Waits for the exit. */
  int exitCode() throws InterruptedException {
    return process.waitFor();
  }

  long pid() {
    return process.pid();
  }

  /** Sends the signal ({@code INT}, {@code TERM}, {@code HUP}) to the command. */
  void signal(String name) throws InterruptedException {
    if (!process.isAlive()) {
      return;
    }
    if (name.equals("TERM")) {
      process.destroy();
      return;
    }
    try {
      Process kill =
          new ProcessBuilder("kill", "-s", name, Long.toString(process.pid()))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!kill.waitFor(5, TimeUnit.SECONDS)) {
        kill.destroyForcibly();
      }
    } catch (IOException e) {
      process.destroy(); // no kill(1): SIGTERM still asks the command to stop
    }
  }

  /**
   * Stops the command and the processes it started: SIGTERM to all of them, then SIGKILL to those
   * still running after {@code grace}. Returns once the command has exited.
   */
  void stop(Duration grace) throws InterruptedException {
    long deadline = System.nanoTime() + grace.toNanos();
    List<ProcessHandle> tree = new ArrayList<>();
    tree.add(process.toHandle());
    process.descendants().forEach(tree::add);
    tree.forEach(ProcessHandle::destroy);
    for (ProcessHandle p : tree) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      try {
        p.onExit().get(left, TimeUnit.NANOSECONDS);
      } catch (ExecutionException | TimeoutException e) {
        break;
      }
    }
    process.descendants().forEach(tree::add); // started meanwhile
    for (ProcessHandle p : tree) {
      if (p.isAlive()) {
        p.destroyForcibly();
      }
    }
    process.waitFor();
  }
}
