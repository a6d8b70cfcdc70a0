package dev.valkeyrie.etcdv2;

import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.KeyEvent;
import dev.valkeyrie.store.KeyEvent.Kind;
import dev.valkeyrie.store.spi.BufferedWatch;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Turns the events of one key into {@link KeyEvent}s, in index order and never twice, and hands
 * them on through a view ({@link KeyEvent} itself, or its {@link KVPair}). A deletion or expiry of
 * a directory above the key is a deletion or expiry of the key.
 */
final class KeyWatchHandler<T> implements WatchLoop.Handler {
  private final String key;
  private final BufferedWatch<T> sink;
  private final Function<KeyEvent, T> view;
  private long lastIndex = -1;
  private boolean present;

  KeyWatchHandler(String key, BufferedWatch<T> sink, Function<KeyEvent, T> view) {
    this.key = key;
    this.sink = sink;
    this.view = view;
  }

  @Override
  public void snapshot(@Nullable EtcdResponse current, long etcdIndex) {
    EtcdNode node = current == null ? null : current.node();
    if (node == null) {
      if (present) {
        deliver(new KeyEvent(Kind.DELETED, new KVPair(key, new byte[0], etcdIndex)));
      }
    } else if (node.modifiedIndex() > lastIndex) {
      deliver(new KeyEvent(Kind.CURRENT, Listing.pair(key, node)));
    }
  }

  @Override
  public void event(EtcdResponse event) {
    EtcdNode node = event.node();
    if (node.modifiedIndex() <= lastIndex) {
      return; // already seen (a resync can overtake events)
    }
    if (Listing.isRemoval(event.action())) {
      if (present) {
        deliver(
            new KeyEvent(
                Listing.removalKind(event.action()),
                new KVPair(key, new byte[0], node.modifiedIndex())));
      }
    } else if (key.equals(node.normalizedKey())) {
      Kind kind = present && !event.action().equals("create") ? Kind.MODIFIED : Kind.CREATED;
      deliver(new KeyEvent(kind, Listing.pair(key, node)));
    }
  }

  private void deliver(KeyEvent event) {
    lastIndex = event.pair().lastIndex();
    present = !event.isRemoval();
    sink.offer(view.apply(event));
  }

  @Override
  public void failed(Throwable cause) {
    sink.fail(cause);
  }
}
