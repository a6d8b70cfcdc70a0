package dev.valkeyrie.cli;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Proxy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Takes signals over from the JVM, for the commands that end on them in their own way ({@code
 * watch} ends cleanly with exit code 0; {@code lock} forwards them to its command). Without this,
 * the JVM would run its shutdown hooks and exit with 128 + the signal number. A signal the process
 * was started with ignored (a background job of a non-interactive shell) stays ignored.
 *
 * <p>{@code sun.misc.Signal} (module jdk.unsupported) is the only way a Java program handles
 * signals. It is reached through method handles: javac's "internal proprietary API" warning on a
 * direct use cannot be suppressed on Java 17, and this build fails on warnings.
 */
final class Signals implements AutoCloseable {
  /** The signals that end a command: Ctrl-C and kill's default. */
  static final List<String> STOP = List.of("INT", "TERM");

  private static final SignalApi API = new SignalApi();

  /** Each signal taken over, with the handler it had before. */
  private final Map<Object, Object> previous = new LinkedHashMap<>();

  private Signals() {}

  /**
   * Calls {@code onSignal} with the signal's name ({@code INT}, {@code TERM}, ...) on the JVM's
   * signal thread, until {@link #close()}.
   */
  static Signals handle(List<String> names, Consumer<String> onSignal) {
    Signals signals = new Signals();
    Object handler = API.handler(onSignal);
    for (String name : names) {
      try {
        Object signal = API.signal(name);
        signals.previous.put(signal, API.handle(signal, handler));
      } catch (IllegalArgumentException unavailable) {
        // Reserved by the VM (-Xrs) or unknown here: the JVM's behaviour stays.
      }
    }
    return signals;
  }

  /** Gives the signals back to the JVM. */
  @Override
  public void close() {
    previous.forEach(API::handle);
    previous.clear();
  }

  /** {@code sun.misc.Signal} and {@code sun.misc.SignalHandler}, looked up once. */
  private static final class SignalApi {
    private final Class<?> handlerType;
    private final MethodHandle newSignal;
    private final MethodHandle handle;
    private final MethodHandle name;

    SignalApi() {
      try {
        Class<?> signalType = Class.forName("sun.misc.Signal");
        handlerType = Class.forName("sun.misc.SignalHandler");
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        newSignal =
            lookup.findConstructor(signalType, MethodType.methodType(void.class, String.class));
        handle =
            lookup.findStatic(
                signalType, "handle", MethodType.methodType(handlerType, signalType, handlerType));
        name = lookup.findVirtual(signalType, "getName", MethodType.methodType(String.class));
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("this JVM has no sun.misc.Signal (jdk.unsupported)", e);
      }
    }

    /** A {@code sun.misc.Signal}; {@link IllegalArgumentException} for an unknown name. */
    Object signal(String signalName) {
      return invoke(newSignal, signalName);
    }

    /**
     * Installs {@code handler} for {@code signal}, returning the previous handler; {@link
     * IllegalArgumentException} when the VM reserves the signal.
     */
    Object handle(Object signal, Object handler) {
      return invoke(handle, signal, handler);
    }

    /** A {@code sun.misc.SignalHandler} that passes the signal's name on. */
    Object handler(Consumer<String> onSignal) {
      return Proxy.newProxyInstance(
          handlerType.getClassLoader(),
          new Class<?>[] {handlerType},
          (proxy, method, args) -> {
            switch (method.getName()) {
              case "handle" -> {
                onSignal.accept((String) invoke(name, args[0]));
                return null;
              }
              case "equals" -> {
                return proxy == args[0];
              }
              case "hashCode" -> {
                return System.identityHashCode(proxy);
              }
              default -> {
                return "valkeyrie signal handler";
              }
            }
          });
    }

    private static Object invoke(MethodHandle target, Object... args) {
      try {
        return target.invokeWithArguments(args);
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Throwable e) {
        throw new IllegalStateException("sun.misc.Signal failed", e);
      }
    }
  }
}
