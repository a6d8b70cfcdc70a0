package dev.valkeyrie.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.KeyEvent;
import dev.valkeyrie.store.StoreUnavailableException;
import dev.valkeyrie.store.Watch;
import dev.valkeyrie.store.WatchClosedException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import org.junit.jupiter.api.Test;

/** The loop that watch and watch-tree share, on a watch in memory; nothing here opens a store. */
class PrintedWatchTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

  private Output output() {
    return new Output(new PrintStream(bytes, true, StandardCharsets.UTF_8), OutputFormat.PLAIN);
  }

  private static KeyEvent event(KeyEvent.Kind kind, String key, String value, long index) {
    return new KeyEvent(kind, new KVPair(key, value.getBytes(StandardCharsets.UTF_8), index));
  }

  @Test
  void printsEachUpdateInOrderUntilTheWatchEnds() {
    InMemoryWatch watch =
        new InMemoryWatch(
            List.of(
                event(KeyEvent.Kind.CURRENT, "k", "a", 3),
                event(KeyEvent.Kind.MODIFIED, "k", "b", 4),
                event(KeyEvent.Kind.DELETED, "k", "", 5)));

    // How the run ends is the next test's subject; this one looks at what it printed.
    Throwable unused = catchThrowable(() -> PrintedWatch.run(() -> watch, Updates::of, output()));

    assertThat(bytes.toString(StandardCharsets.UTF_8).lines())
        .containsExactly("current k = a (index 3)", "modify k = b (index 4)", "delete k (index 5)");
  }

  @Test
  void theEndOfTheWatchEndsTheLoopWithItsCauseAndClosesTheWatch() {
    StoreUnavailableException cause = new StoreUnavailableException("etcd is gone");
    InMemoryWatch watch = new InMemoryWatch(List.of(event(KeyEvent.Kind.CURRENT, "k", "a", 3)));
    watch.endWith(cause);

    Throwable ended = catchThrowable(() -> PrintedWatch.run(() -> watch, Updates::of, output()));

    assertThat(ended).isInstanceOf(WatchClosedException.class).hasCause(cause);
    assertThat(ExitCodes.of(ended)).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(watch.isClosed()).isTrue();
  }

  @Test
  void aClosedOutputEndsTheLoopAsIfBySigpipeAndClosesTheWatch() {
    InMemoryWatch watch = new InMemoryWatch(List.of(event(KeyEvent.Kind.CURRENT, "k", "a", 3)));
    OutputStream closedPipe =
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            throw new IOException("Broken pipe");
          }
        };
    Output out =
        new Output(new PrintStream(closedPipe, true, StandardCharsets.UTF_8), OutputFormat.PLAIN);

    Throwable ended = catchThrowable(() -> PrintedWatch.run(() -> watch, Updates::of, out));

    assertThat(ended).isInstanceOf(OutputClosedException.class);
    assertThat(ExitCodes.of(ended)).isEqualTo(ExitCodes.OUTPUT_CLOSED);
    assertThat(watch.isClosed()).isTrue();
  }

  @Test
  void anInterruptEndsTheLoopAndClosesTheWatch() {
    InMemoryWatch watch = new InMemoryWatch(List.of());
    watch.endWith(new InterruptedException("Ctrl-C"));

    Throwable ended = catchThrowable(() -> PrintedWatch.run(() -> watch, Updates::of, output()));

    assertThat(ended).isInstanceOf(InterruptedException.class);
    assertThat(watch.isClosed()).isTrue();
  }

  /** Hands out the given updates, then ends (closed, or with the failure given). */
  private static final class InMemoryWatch implements Watch<KeyEvent> {
    private final Queue<KeyEvent> updates;
    private Throwable end;
    private boolean closed;

    InMemoryWatch(List<KeyEvent> updates) {
      this.updates = new ArrayDeque<>(updates);
    }

    void endWith(Throwable failure) {
      this.end = failure;
    }

    @Override
    public KeyEvent take() throws InterruptedException {
      if (closed) {
        throw new WatchClosedException("closed");
      }
      KeyEvent next = updates.poll();
      if (next != null) {
        return next;
      }
      if (end instanceof InterruptedException interrupted) {
        throw interrupted;
      }
      closed = true;
      throw new WatchClosedException("ended", end);
    }

    @Override
    public KeyEvent poll(Duration timeout) throws InterruptedException {
      return take();
    }

    @Override
    public boolean isClosed() {
      return closed;
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
