package dev.valkeyrie.cli;

import dev.valkeyrie.store.KeyEvent;

/**
 * Turns the store's watch events into the {@link Update}s that {@code watch} and {@code watch-tree}
 * print: the one place that knows the store's event model.
 */
final class Updates {
  private Updates() {}

  /** The update for one event of {@code Store.watchEvents} or {@code Store.watchTreeEvents}. */
  static Update of(KeyEvent event) {
    Update.Kind kind =
        switch (event.kind()) {
          case CURRENT -> Update.Kind.CURRENT;
          case CREATED -> Update.Kind.CREATE;
          case MODIFIED -> Update.Kind.MODIFY;
          case DELETED -> Update.Kind.DELETE;
          case EXPIRED -> Update.Kind.EXPIRE;
        };
    return new Update(kind, event.pair());
  }
}
