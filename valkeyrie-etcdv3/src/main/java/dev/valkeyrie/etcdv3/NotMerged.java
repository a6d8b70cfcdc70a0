package dev.valkeyrie.etcdv3;

import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.KeyEvent;
import dev.valkeyrie.store.LockOptions;
import dev.valkeyrie.store.Locker;
import dev.valkeyrie.store.ReadOptions;
import dev.valkeyrie.store.Watch;
import java.util.List;

/**
 * TEMPORARY SCAFFOLDING, to be deleted when the watches and locks parts are merged: stands in for
 * {@link WatchService} and {@link LockService} until then, refusing with a message that says which
 * part is missing. {@link EtcdV3Store#open} is the one place that chooses these.
 */
final class NotMerged implements WatchService, LockService {
  private static final String WATCHES =
      "etcd v3 watches are not merged into this branch yet"
          + " (the watches part: WatchService, see valkeyrie-etcdv3/SEAMS.md)";
  private static final String LOCKS =
      "etcd v3 locks are not merged into this branch yet"
          + " (the locks and leader election part: LockService, see valkeyrie-etcdv3/SEAMS.md)";

  @Override
  public Watch<KVPair> watch(Key key, ReadOptions options) {
    throw new UnsupportedOperationException(WATCHES);
  }

  @Override
  public Watch<List<KVPair>> watchTree(Key directory, ReadOptions options) {
    throw new UnsupportedOperationException(WATCHES);
  }

  @Override
  public Watch<KeyEvent> watchEvents(Key key, ReadOptions options) {
    throw new UnsupportedOperationException(WATCHES);
  }

  @Override
  public Watch<KeyEvent> watchTreeEvents(Key directory, ReadOptions options) {
    throw new UnsupportedOperationException(WATCHES);
  }

  @Override
  public Locker newLock(Key key, LockOptions options) {
    throw new UnsupportedOperationException(LOCKS);
  }
}
