package dev.valkeyrie.etcd.launcher;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One JVM shutdown hook for all clusters: kills etcd processes and deletes directories of clusters
 * that were never closed. Actions must not take locks a dying thread might hold.
 */
final class ShutdownCleanup {
  private static final Set<Runnable> ACTIONS = ConcurrentHashMap.newKeySet();
  private static final AtomicBoolean INSTALLED = new AtomicBoolean();

  private ShutdownCleanup() {}

  static void register(Runnable action) {
    if (INSTALLED.compareAndSet(false, true)) {
      try {
        Runtime.getRuntime()
            .addShutdownHook(new Thread(ShutdownCleanup::runAll, "valkeyrie-etcd-cleanup"));
      } catch (IllegalStateException alreadyShuttingDown) {
        // Too late for a hook; the caller's own close() is all that is left.
      }
    }
    ACTIONS.add(action);
  }

  static void unregister(Runnable action) {
    ACTIONS.remove(action);
  }

  private static void runAll() {
    for (Runnable action : ACTIONS) {
      try {
        action.run();
      } catch (RuntimeException e) {
        // Best effort: one failing cleanup must not stop the others.
      }
    }
  }
}
