package dev.valkeyrie.cli;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The {@code valkeyrie} command. Run it with {@code bin/valkeyrie}; {@code valkeyrie --help} lists
 * the commands and {@code valkeyrie demo} tours them.
 */
public final class Main {

  private Main() {}

  /** Runs the command and exits with its exit code. */
  public static void main(String[] args) {
    boolean debug = debugRequested(args);
    configureLogging(debug);
    PrintStream out =
        new PrintStream(
            new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
            false,
            StandardCharsets.UTF_8);
    PrintStream err =
        new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    int code = run(args, new Io(System.in, out, err, System.getenv()));
    out.flush();
    err.flush();
    System.exit(code);
  }

  /** Runs the command with the given streams and environment; returns the exit code. */
  static int run(String[] args, Io io) {
    int code = commandLine(io, debugRequested(args)).execute(args);
    io.out().flush();
    return code;
  }

  /** The parser, with its output, error handling and help set up; runs nothing. */
  static CommandLine commandLine(Io io, boolean debug) {
    CommandLine cli = new CommandLine(new ValkeyrieCommand(io));
    cli.setOut(new PrintWriter(new OutputStreamWriter(io.out(), StandardCharsets.UTF_8), true));
    cli.setErr(new PrintWriter(new OutputStreamWriter(io.err(), StandardCharsets.UTF_8), true));
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    ErrorReporter reporter = new ErrorReporter(io.err(), debug);
    cli.setParameterExceptionHandler(reporter);
    cli.setExecutionExceptionHandler(reporter);
    Map<String, String> exitCodes = new LinkedHashMap<>();
    for (String entry : ExitCodes.HELP) {
      int colon = entry.indexOf(':');
      exitCodes.put(entry.substring(0, colon), entry.substring(colon + 1));
    }
    CommandSpec spec = cli.getCommandSpec();
    spec.usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(exitCodes);
    return cli;
  }

  /**
   * Whether {@code --debug} comes before {@code --} (after it, the arguments are lock's command's).
   */
  static boolean debugRequested(String[] args) {
    for (String arg : args) {
      if (arg.equals("--")) {
        return false;
      }
      if (arg.equals("--debug")) {
        return true;
      }
    }
    return false;
  }

  /**
   * The etcd v3 backend's log (through {@code System.Logger}, that is java.util.logging here) and
   * gRPC's: kept, so that the level set on it is not lost with the logger.
   */
  private static final Logger VALKEYRIE_JUL = Logger.getLogger("dev.valkeyrie");

  /**
   * The etcd v2 backend logs through SLF4J (slf4j-simple here), the v3 backend and gRPC through
   * java.util.logging: silent by default, so that standard error carries only the command's own
   * messages; with {@code --debug}, the library's debug log, but not Apache HttpClient's, gRPC's or
   * its Netty's below INFO (their header logs would show the credentials). System properties given
   * with {@code -D} win for SLF4J.
   */
  static void configureLogging(boolean debug) {
    // Before the root handler (and its formatter) is made, by getHandlers() below.
    setIfAbsent("java.util.logging.SimpleFormatter.format", "%1$tT.%1$tL [%4$s] %3$s - %5$s%6$s%n");
    Logger root = Logger.getLogger("");
    root.setLevel(debug ? Level.INFO : Level.OFF);
    VALKEYRIE_JUL.setLevel(debug ? Level.FINE : Level.OFF);
    for (Handler h : root.getHandlers()) {
      h.setLevel(Level.ALL);
    }
    setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", debug ? "debug" : "off");
    setIfAbsent("org.slf4j.simpleLogger.log.org.apache.hc", debug ? "info" : "off");
    // gRPC's shaded Netty logs through SLF4J too; its frame log would show the auth token.
    setIfAbsent("org.slf4j.simpleLogger.log.io.grpc", debug ? "info" : "off");
    setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
    setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
    setIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
  }

  private static void setIfAbsent(String name, String value) {
    if (System.getProperty(name) == null) {
      System.setProperty(name, value);
    }
  }
}
