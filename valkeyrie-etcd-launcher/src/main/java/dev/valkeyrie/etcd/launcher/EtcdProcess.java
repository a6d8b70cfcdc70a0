package dev.valkeyrie.etcd.launcher;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One running etcd process: launch with output to a log file, signals, waiting for exit. Knows
 * nothing about etcd's HTTP API.
 */
final class EtcdProcess {
  private final Process process;
  private final List<String> command;
  private final Path logFile;
  private volatile boolean paused;

  private EtcdProcess(Process process, List<String> command, Path logFile) {
    this.process = process;
    this.command = command;
    this.logFile = logFile;
  }

  /**
   * Starts {@code command} with stdout and stderr appended to {@code logFile}; appending keeps the
   * history of earlier runs of the same member.
   */
  static EtcdProcess launch(List<String> command, Path logFile) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    // etcd reads ETCD_* variables as flags; one set in the developer's shell must not leak in.
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(name -> name.startsWith("ETCD_"));
    Files.writeString(
        logFile,
        "=== " + Instant.now() + " starting: " + String.join(" ", command) + System.lineSeparator(),
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    return new EtcdProcess(builder.start(), command, logFile);
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  boolean isPaused() {
    return paused && process.isAlive();
  }

  List<String> command() {
    return command;
  }

  String commandLine() {
    return String.join(" ", command);
  }

  Path logFile() {
    return logFile;
  }

  /** Exit code, or -1 while running. */
  int exitCode() {
    return process.isAlive() ? -1 : process.exitValue();
  }

  /** SIGSTOP; returns once the kernel reports the process stopped. */
  void pause() {
    signal("STOP");
    paused = true;
    awaitStopped(true);
  }

  /** SIGCONT; returns once the kernel reports the process running again. */
  void resume() {
    signal("CONT");
    paused = false;
    awaitStopped(false);
  }

  /** SIGTERM (after SIGCONT if paused, so etcd can act on it) without waiting. */
  void requestTerminate() {
    if (!process.isAlive()) {
      return;
    }
    if (paused) {
      resume();
    }
    process.destroy(); // SIGTERM on Unix
  }

  /** Whether the process exited within {@code timeout}. */
  boolean awaitExit(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for etcd to exit", e);
    }
  }

  /** SIGKILL and wait; works on stopped processes too. */
  void killAndWait() {
    process.destroyForcibly();
    if (!awaitExit(Duration.ofSeconds(10))) {
      throw new IllegalStateException("etcd process " + pid() + " survived SIGKILL");
    }
    paused = false;
  }

  /** SIGTERM, wait up to {@code grace}, then SIGKILL. */
  void stop(Duration grace) {
    requestTerminate();
    if (!awaitExit(grace)) {
      killAndWait();
    }
    paused = false;
  }

  /** Failure text: headline, command line, exit code, and the tail of the log. */
  String describe(String headline) {
    String nl = System.lineSeparator();
    String exit = process.isAlive() ? "still running" : "exited with code " + process.exitValue();
    return headline
        + " (pid "
        + pid()
        + ", "
        + exit
        + ")"
        + nl
        + "  command: "
        + commandLine()
        + nl
        + "  "
        + LogTail.describe(logFile);
  }

  // ProcessHandle cannot send SIGSTOP/SIGCONT; the kill utility can.
  private void signal(String name) {
    if (!process.isAlive()) {
      throw new IllegalStateException("etcd process " + pid() + " is not running");
    }
    try {
      Process kill =
          new ProcessBuilder("kill", "-" + name, Long.toString(pid()))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        kill.destroyForcibly();
        throw new IllegalStateException("kill -" + name + " " + pid() + " failed");
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run kill -" + name + " " + pid(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while signalling etcd", e);
    }
  }

  /**
   * Signals are delivered asynchronously; wait for the state in /proc so that callers observe the
   * effect immediately. Without /proc (not Linux) this returns at once.
   */
  private void awaitStopped(boolean stopped) {
    Path stat = Path.of("/proc", Long.toString(pid()), "stat");
    if (!Files.exists(stat)) {
      return;
    }
    Instant deadline = Instant.now().plusSeconds(5);
    Poll.until(deadline, () -> !process.isAlive() || isStoppedState(stat) == stopped);
  }

  private static boolean isStoppedState(Path stat) {
    try {
      String content = Files.readString(stat, StandardCharsets.UTF_8);
      // Format: "pid (comm) S ...": the state follows the last ')'.
      int close = content.lastIndexOf(')');
      char state = content.charAt(close + 2);
      return state == 'T' || state == 't';
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
