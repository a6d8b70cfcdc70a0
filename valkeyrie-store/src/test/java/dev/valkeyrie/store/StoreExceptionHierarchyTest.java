package dev.valkeyrie.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class StoreExceptionHierarchyTest {

  /** Every *Exception class compiled from the store package (found on disk, so none is missed). */
  static List<Class<?>> exceptionClasses() throws IOException, URISyntaxException {
    URL root = StoreException.class.getResource("StoreException.class");
    Path directory = Path.of(root.toURI()).getParent();
    try (Stream<Path> files = Files.list(directory)) {
      return files
          .map(file -> file.getFileName().toString())
          .filter(name -> name.endsWith("Exception.class"))
          .map(name -> load(name.substring(0, name.length() - ".class".length())))
          .sorted((a, b) -> a.getName().compareTo(b.getName()))
          .collect(Collectors.toList());
    }
  }

  private static Class<?> load(String simpleName) {
    try {
      return Class.forName("dev.valkeyrie.store." + simpleName);
    } catch (ClassNotFoundException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void theStoreDefinesAllTheDocumentedExceptions() throws Exception {
    assertThat(exceptionClasses())
        .contains(
            StoreException.class,
            AccessDeniedException.class,
            CallNotSupportedException.class,
            CannotLockException.class,
            InvalidConfigurationException.class,
            InvalidKeyException.class,
            InvalidValueException.class,
            KeyExistsException.class,
            KeyModifiedException.class,
            KeyNotFoundException.class,
            KeyTypeException.class,
            LockNotHeldException.class,
            PreviousNotSpecifiedException.class,
            StoreClosedException.class,
            StoreUnavailableException.class,
            UnknownBackendException.class,
            WatchClosedException.class,
            WatchOverflowException.class);
  }

  @Test
  void storeExceptionIsUnchecked() {
    assertThat(RuntimeException.class).isAssignableFrom(StoreException.class);
  }

  @ParameterizedTest
  @MethodSource("exceptionClasses")
  void everyExceptionExtendsStoreException(Class<?> type) {
    assertThat(StoreException.class).isAssignableFrom(type);
  }

  @ParameterizedTest
  @MethodSource("exceptionClasses")
  void messageIsKept(Class<?> type) throws Exception {
    Object exception = type.getConstructor(String.class).newInstance("key 'a/b' failed");

    assertThat((Throwable) exception).hasMessage("key 'a/b' failed").hasNoCause();
  }

  @ParameterizedTest
  @MethodSource("exceptionClasses")
  void messageAndCauseAreKept(Class<?> type) throws Exception {
    IOException cause = new IOException("connection reset");

    Object exception =
        type.getConstructor(String.class, Throwable.class).newInstance("put 'k' failed", cause);

    assertThat((Throwable) exception).hasMessage("put 'k' failed").hasCause(cause);
    assertThat(((Throwable) exception).getCause()).isSameAs(cause);
  }
}
