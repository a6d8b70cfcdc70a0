package dev.valkeyrie.cli;

import java.io.PrintStream;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Reports failures as one line on standard error and picks the exit code ({@link ExitCodes}). A
 * stack trace follows only with {@code --debug}.
 */
final class ErrorReporter implements IExecutionExceptionHandler, IParameterExceptionHandler {
  private final PrintStream err;
  private final boolean debug;

  ErrorReporter(PrintStream err, boolean debug) {
    this.err = err;
    this.debug = debug;
  }

  /** Arguments that do not parse. */
  @Override
  public int handleParseException(ParameterException e, String[] args) {
    String message = String.valueOf(e.getMessage()); // picocli's always have one
    message = message.startsWith("Error: ") ? message.substring(7) : message;
    usage(e.getCommandLine(), message + suggestions(e), e);
    return ExitCodes.USAGE;
  }

  /** Failures of a command. */
  @Override
  public int handleExecutionException(Exception e, CommandLine command, ParseResult parsed) {
    if (e instanceof ParameterException || e instanceof UsageException) {
      usage(command, String.valueOf(e.getMessage()), e);
      return ExitCodes.USAGE;
    }
    int code = ExitCodes.of(e);
    if (code == ExitCodes.OUTPUT_CLOSED) {
      return code; // quiet, like a process ended by SIGPIPE
    }
    if (code == ExitCodes.INTERNAL) {
      err.println(
          "valkeyrie: internal error: "
              + e
              + (debug ? "" : " (run with --debug for the stack trace)"));
    } else {
      err.println("valkeyrie: " + ExitCodes.message(e));
    }
    trace(e);
    return code;
  }

  private void usage(CommandLine command, String message, Exception e) {
    String name = command.getCommandSpec().qualifiedName();
    err.println(name + ": " + message + " (see '" + name + " --help')");
    trace(e);
  }

  private void trace(Exception e) {
    if (debug) {
      e.printStackTrace(err);
    }
    err.flush();
  }

  private static String suggestions(ParameterException e) {
    if (e instanceof UnmatchedArgumentException unmatched) {
      List<String> suggestions = unmatched.getSuggestions();
      if (!suggestions.isEmpty()) {
        return "; did you mean "
            + String.join(" or ", suggestions.subList(0, Math.min(2, suggestions.size())))
            + "?";
      }
    }
    return "";
  }
}
