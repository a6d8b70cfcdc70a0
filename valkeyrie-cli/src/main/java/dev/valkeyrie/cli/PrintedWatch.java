package dev.valkeyrie.cli;

import dev.valkeyrie.store.Watch;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The loop of {@code watch} and {@code watch-tree}: opens the watch with the command's store call,
 * prints each update as it arrives, and closes the watch on every way out. It never returns by
 * itself. It ends when
 *
 * <ul>
 *   <li>Ctrl-C or SIGTERM interrupts {@link Watch#take()}: both commands {@linkplain
 *       StoreCommand#endsOnSignal() end on a signal}, so the interrupt becomes exit code 0;
 *   <li>standard output is closed by its reader ({@link OutputClosedException}: 141, quietly);
 *   <li>the watch ends ({@link dev.valkeyrie.store.WatchClosedException}: the exit code of its
 *       cause, see {@link ExitCodes#of});
 * </ul>
 *
 * and the store call itself fails when the key or directory does not exist (exit 1).
 */
final class PrintedWatch {
  private PrintedWatch() {}

  /**
   * @param open the store call that starts the watch
   * @param update what is printed for one of the watch's updates
   */
  static <T> int run(
      Supplier<? extends Watch<T>> open, Function<? super T, Update> update, Output out)
      throws InterruptedException {
    try (Watch<T> watch = open.get()) {
      while (true) {
        out.update(update.apply(watch.take()));
      }
    }
  }
}
