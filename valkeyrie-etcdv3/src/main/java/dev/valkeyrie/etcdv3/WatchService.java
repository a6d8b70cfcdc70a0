package dev.valkeyrie.etcdv3;

import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.KeyEvent;
import dev.valkeyrie.store.ReadOptions;
import dev.valkeyrie.store.Watch;
import java.util.List;

/**
 * The seam for the watches part: what {@link EtcdV3Store}'s four watch methods delegate to, after
 * the store checked it is open. Keys and directories come validated; options are never {@code
 * null}. See {@code DESIGN.md}.
 */
interface WatchService {
  Watch<KVPair> watch(Key key, ReadOptions options);

  Watch<List<KVPair>> watchTree(Key directory, ReadOptions options);

  Watch<KeyEvent> watchEvents(Key key, ReadOptions options);

  Watch<KeyEvent> watchTreeEvents(Key directory, ReadOptions options);
}
