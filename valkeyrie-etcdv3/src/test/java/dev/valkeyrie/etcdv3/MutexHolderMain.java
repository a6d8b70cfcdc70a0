package dev.valkeyrie.etcdv3;

import dev.valkeyrie.store.Lease;
import dev.valkeyrie.store.LockOptions;
import dev.valkeyrie.store.Store;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * The lock holder of {@link MutexHolderDeathTest}, run in a child JVM: takes the lock on etcd v3,
 * prints {@code LOCKED <fencing token>}, then holds it (its lease kept alive) until it is killed.
 * If its standard input ends (the test JVM is gone, or asks it to), it closes its store, which
 * releases the lock, and exits, so it never outlives the test.
 *
 * <p>Arguments: the etcd endpoint, the lock key, the TTL in seconds.
 */
public final class MutexHolderMain {
  private MutexHolderMain() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length != 3) {
      System.err.println("usage: MutexHolderMain <endpoint> <key> <ttl seconds>");
      System.exit(2);
    }
    EtcdV3Config config = EtcdV3Config.builder().requestTimeout(Duration.ofSeconds(2)).build();
    LockOptions options =
        LockOptions.builder().ttl(Duration.ofSeconds(Long.parseLong(args[2]))).build();
    try (Store store = EtcdV3Store.open(List.of(args[0]), config)) {
      Lease lease = store.newLock(args[1], options).lock();
      System.out.println("LOCKED " + lease.fencingToken());
      System.out.flush();
      while (System.in.read() >= 0) {
        // hold the lock until killed, or until the parent's end of the pipe closes
      }
    }
  }
}
