package dev.valkeyrie.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Takes signals over from the JVM, for the commands that end on them in their own way ({@code
 * watch} ends cleanly with exit code 0; {@code lock} forwards them to its command). Without this,
 * the JVM would run its shutdown hooks and exit with 128 + the signal number. A signal the process
 * was started with ignored (a background job of a non-interactive shell) stays ignored.
 */
final class Signals implements AutoCloseable {
  /** The signals that end a command: Ctrl-C and kill's default. */
  static final List<String> STOP = List.of("INT", "TERM");

  private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();

  private Signals() {}

  /**
   * Calls {@code onSignal} with the signal's name ({@code INT}, {@code TERM}, ...) on the JVM's
   * signal thread, until {@link #close()}.
   */
  static Signals handle(List<String> names, Consumer<String> onSignal) {
    Signals signals = new Signals();
    for (String name : names) {
      try {
        Signal signal = new Signal(name);
        signals.previous.put(signal, Signal.handle(signal, s -> onSignal.accept(s.getName())));
      } catch (IllegalArgumentException unavailable) {
        // Reserved by the VM (-Xrs) or unknown here: the JVM's behaviour stays.
      }
    }
    return signals;
  }

  /** Gives the signals back to the JVM. */
  @Override
  public void close() {
    previous.forEach(Signal::handle);
    previous.clear();
  }
}
