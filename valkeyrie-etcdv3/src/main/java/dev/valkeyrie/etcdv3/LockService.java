package dev.valkeyrie.etcdv3;

import dev.valkeyrie.store.LockOptions;
import dev.valkeyrie.store.Locker;

/**
 * The seam for the locks part: what {@link EtcdV3Store#newLock} delegates to, after the store
 * checked it is open. The key comes validated; options are never {@code null}. See {@code
 * DESIGN.md}.
 */
interface LockService {
  Locker newLock(Key key, LockOptions options);
}
