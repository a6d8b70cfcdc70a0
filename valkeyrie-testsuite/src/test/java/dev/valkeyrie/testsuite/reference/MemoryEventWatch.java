package dev.valkeyrie.testsuite.reference;

import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.KeyEvent;
import dev.valkeyrie.store.Watch;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Events made from a {@link MemoryWatch}'s successive states: the first state as {@code CURRENT},
 * then each difference as {@code CREATED}, {@code MODIFIED} or {@code DELETED}. Good enough for the
 * reference store, whose watches see every state.
 */
final class MemoryEventWatch implements Watch<KeyEvent> {
  private final Watch<?> states;
  private final ArrayDeque<KeyEvent> pending = new ArrayDeque<>();
  private Map<String, KVPair> last;

  MemoryEventWatch(Watch<?> states) {
    this.states = states;
  }

  @Override
  public synchronized KeyEvent take() throws InterruptedException {
    while (pending.isEmpty()) {
      next(states.take());
    }
    return pending.poll();
  }

  @Override
  public synchronized KeyEvent poll(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (pending.isEmpty()) {
      Object state = states.poll(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
      if (state == null) {
        return null;
      }
      next(state);
    }
    return pending.poll();
  }

  private void next(Object state) {
    Map<String, KVPair> now = new LinkedHashMap<>();
    if (state instanceof KVPair pair) {
      now.put(pair.key(), pair);
    } else {
      for (Object entry : (List<?>) state) {
        KVPair pair = (KVPair) entry;
        now.put(pair.key(), pair);
      }
    }
    if (last == null) {
      now.values().forEach(pair -> pending.add(new KeyEvent(KeyEvent.Kind.CURRENT, pair)));
    } else {
      for (KVPair pair : now.values()) {
        KVPair before = last.get(pair.key());
        if (before == null) {
          pending.add(new KeyEvent(KeyEvent.Kind.CREATED, pair));
        } else if (before.lastIndex() != pair.lastIndex()) {
          pending.add(new KeyEvent(KeyEvent.Kind.MODIFIED, pair));
        }
      }
      for (KVPair before : last.values()) {
        if (!now.containsKey(before.key())) {
          pending.add(
              new KeyEvent(
                  KeyEvent.Kind.DELETED,
                  new KVPair(before.key(), new byte[0], before.lastIndex())));
        }
      }
    }
    last = now;
  }

  @Override
  public boolean isClosed() {
    return states.isClosed();
  }

  @Override
  public void close() {
    states.close();
  }
}
