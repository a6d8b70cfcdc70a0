package dev.valkeyrie.cli;

import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Runs the real launcher, {@code bin/valkeyrie}, as a process, as a shell would. The jar is the one
 * this build just packaged ({@code VALKEYRIE_CLI_JAR}, so the launcher never rebuilds it), and no
 * {@code VALKEYRIE_*} variable leaks in from the environment of the build.
 */
final class Cli {
  static final Path LAUNCHER =
      Path.of(System.getProperty("valkeyrie.launcher", "../bin/valkeyrie"))
          .toAbsolutePath()
          .normalize();
  static final Path JAR =
      Path.of(System.getProperty("valkeyrie.cli.jar", "target/valkeyrie-cli.jar"))
          .toAbsolutePath()
          .normalize();

  /** Upper bound for one command; a warm run takes well under a second. */
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final List<String> command = new ArrayList<>();
  private final Map<String, String> env = new HashMap<>();
  private byte[] stdin = new byte[0];
  private boolean defaultSigint;

  private Cli(List<String> args) {
    command.add(LAUNCHER.toString());
    command.addAll(args);
  }

  static Cli of(String... args) {
    return new Cli(List.of(args));
  }

  Cli stdin(byte[] bytes) {
    this.stdin = bytes.clone();
    return this;
  }

  Cli env(String name, String value) {
    env.put(name, value);
    return this;
  }

  /**
   * Starts the process with SIGINT at its default action, as in a terminal. A background job of a
   * non-interactive shell (a build started with {@code &}, say) starts with SIGINT ignored, and
   * every process below it inherits that; perl resets it before it execs the launcher.
   */
  Cli asInTerminal() {
    this.defaultSigint = true;
    return this;
  }

  /** Runs to the end (bounded by {@link #TIMEOUT}). */
  Result run() {
    Running running = start();
    return running.awaitExit();
  }

  /** Starts the process; its output is collected as it comes. */
  Running start() {
    List<String> full = new ArrayList<>();
    if (defaultSigint) {
      full.addAll(List.of("perl", "-e", "$SIG{INT} = 'DEFAULT'; exec @ARGV or die \"exec: $!\""));
    }
    full.addAll(command);
    ProcessBuilder builder = new ProcessBuilder(full);
    Map<String, String> environment = builder.environment();
    environment.keySet().removeIf(name -> name.startsWith("VALKEYRIE_"));
    environment.put("VALKEYRIE_CLI_JAR", JAR.toString());
    environment.putAll(env);
    try {
      Process process = builder.start();
      try (OutputStream in = process.getOutputStream()) {
        in.write(stdin);
      }
      return new Running(process, String.join(" ", command.subList(1, command.size())));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
  }

  /** What a finished run printed, and its exit code. */
  @SuppressWarnings("ArrayRecordComponent") // read by the tests, never compared or hashed
  record Result(int exitCode, byte[] stdoutBytes, String stderr) {
    String stdout() {
      return new String(stdoutBytes, StandardCharsets.UTF_8);
    }

    List<String> stdoutLines() {
      return stdout().lines().toList();
    }

    List<String> stderrLines() {
      return stderr.lines().toList();
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + stdout() + "--- stderr\n" + stderr;
    }
  }

  /** A process still running: its lines so far, signals, and its end. */
  static final class Running implements AutoCloseable {
    private final Process process;
    private final String description;
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final List<String> stdoutLines = new CopyOnWriteArrayList<>();
    private final List<String> stderrLines = new CopyOnWriteArrayList<>();
    private final Thread stdoutReader;
    private final Thread stderrReader;

    private Running(Process process, String description) {
      this.process = process;
      this.description = description;
      this.stdoutReader = reader(process.getInputStream(), stdoutLines, stdout);
      this.stderrReader =
          reader(process.getErrorStream(), stderrLines, new ByteArrayOutputStream());
    }

    private static Thread reader(InputStream in, List<String> lines, ByteArrayOutputStream all) {
      Thread t =
          new Thread(
              () -> {
                ByteArrayOutputStream line = new ByteArrayOutputStream();
                try (in) {
                  int b;
                  while ((b = in.read()) != -1) {
                    synchronized (all) {
                      all.write(b);
                    }
                    if (b == '\n') {
                      lines.add(line.toString(StandardCharsets.UTF_8));
                      line.reset();
                    } else {
                      line.write(b);
                    }
                  }
                  if (line.size() > 0) {
                    lines.add(line.toString(StandardCharsets.UTF_8));
                  }
                } catch (IOException e) {
                  // the process is gone
                }
              },
              "cli-output");
      t.setDaemon(true);
      t.start();
      return t;
    }

    long pid() {
      return process.pid();
    }

    boolean isAlive() {
      return process.isAlive();
    }

    List<String> stdoutLines() {
      return List.copyOf(stdoutLines);
    }

    List<String> stderrLines() {
      return List.copyOf(stderrLines);
    }

    /** Waits (bounded) until a line of standard output matches, and returns it. */
    String awaitStdout(Predicate<String> matching) {
      return awaitLine(stdoutLines, matching, "stdout");
    }

    /** Waits (bounded) until a line of standard error matches, and returns it. */
    String awaitStderr(Predicate<String> matching) {
      return awaitLine(stderrLines, matching, "stderr");
    }

    private String awaitLine(List<String> lines, Predicate<String> matching, String stream) {
      await(
              "a matching line on "
                  + stream
                  + " of: "
                  + description
                  + " (so far: "
                  + lines
                  + ", "
                  + stderrLines
                  + ")")
          .atMost(TIMEOUT)
          .pollInterval(Duration.ofMillis(20))
          .until(() -> lines.stream().anyMatch(matching) || (!process.isAlive() && drained()));
      return lines.stream()
          .filter(matching)
          .findFirst()
          .orElseThrow(
              () ->
                  new AssertionError(
                      "process ended without a matching line on "
                          + stream
                          + ": "
                          + description
                          + "\n"
                          + awaitExit()));
    }

    private boolean drained() {
      return !stdoutReader.isAlive() && !stderrReader.isAlive();
    }

    /** Sends a signal ({@code INT}, {@code TERM}, ...) with kill(1). */
    void signal(String name) {
      try {
        Process kill =
            new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
                .redirectErrorStream(true)
                .start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
          throw new AssertionError("kill -" + name + " " + process.pid() + " failed");
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }

    /** Kills the process and what it started, if still running (after a failed assertion). */
    @Override
    public void close() {
      if (process.isAlive()) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    }

    /** Waits (bounded) for the end; kills the process if it does not end in time. */
    Result awaitExit() {
      try {
        if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
          process.descendants().forEach(ProcessHandle::destroyForcibly);
          process.destroyForcibly();
          throw new AssertionError(
              "still running after "
                  + TIMEOUT
                  + ": "
                  + description
                  + "\nstdout: "
                  + stdoutLines
                  + "\nstderr: "
                  + stderrLines);
        }
        stdoutReader.join(TIMEOUT.toMillis());
        stderrReader.join(TIMEOUT.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      byte[] out;
      synchronized (stdout) {
        out = stdout.toByteArray();
      }
      return new Result(
          process.exitValue(),
          out,
          String.join("\n", stderrLines) + (stderrLines.isEmpty() ? "" : "\n"));
    }
  }
}
