package dev.valkeyrie.testsuite.linearizability;

import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.ReadOptions;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.store.StoreException;
import dev.valkeyrie.store.StoreUnavailableException;
import dev.valkeyrie.store.WriteOptions;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Stores wrapped to misbehave in one known way each, one client per wrapper. Two break
 * linearizability (the run must catch them); the others only fail calls, as a real cluster under
 * faults does, and stay linearizable.
 */
final class MisbehavingStores {

  private MisbehavingStores() {}

  /** Serves every third read from the copy of the key it last read or wrote: stale reads. */
  static final class StaleReads extends ForwardingStore {
    private final Map<String, KVPair> copies = new HashMap<>();
    private int reads;

    StaleReads(Store delegate) {
      super(delegate);
    }

    @Override
    public synchronized KVPair get(String key, ReadOptions options) {
      KVPair copy = copies.get(key);
      if (++reads % 3 == 0 && copy != null) {
        return copy;
      }
      KVPair pair = super.get(key, options);
      copies.put(key, pair);
      return pair;
    }

    @Override
    public synchronized KVPair atomicPut(
        String key, byte[] value, KVPair previous, WriteOptions options) {
      KVPair pair = super.atomicPut(key, value, previous, options);
      copies.put(key, pair);
      return pair;
    }
  }

  /**
   * Applies a delayed copy of an old put after a newer one: before every third read of a key,
   * writes again the value of the put it made before its latest put to that key.
   */
  static final class LateReapplication extends ForwardingStore {
    private final Map<String, byte[]> latest = new HashMap<>();
    private final Map<String, byte[]> older = new HashMap<>();
    private int reads;

    LateReapplication(Store delegate) {
      super(delegate);
    }

    @Override
    public synchronized void put(String key, byte[] value, WriteOptions options) {
      super.put(key, value, options);
      byte[] before = latest.put(key, value);
      if (before != null) {
        older.put(key, before);
      }
    }

    @Override
    public synchronized KVPair get(String key, ReadOptions options) {
      byte[] old = older.get(key);
      if (++reads % 3 == 0 && old != null) {
        older.remove(key);
        super.put(key, old, null);
      }
      return super.get(key, options);
    }
  }

  /**
   * Fails some calls the ways a cluster under faults does, without breaking linearizability: of its
   * writes, every 23rd is applied but reported as of unknown outcome, every 7th is refused before
   * it is applied, every 29th is reported unknown and applied only at this store's next call, and
   * every 53rd is applied and then fails with an exception the contract does not name; every 6th
   * read fails. (Far more unknown outcomes than a real run has, and yet few enough for the checker:
   * a history where most writes are unknown can be too hard to decide.)
   */
  static final class Flaky extends ForwardingStore {
    private int writes;
    private int reads;
    private Runnable delayed;

    Flaky(Store delegate) {
      super(delegate);
    }

    @Override
    public synchronized void put(String key, byte[] value, WriteOptions options) {
      write(() -> super.put(key, value, options));
    }

    @Override
    public synchronized KVPair atomicPut(
        String key, byte[] value, KVPair previous, WriteOptions options) {
      KVPair[] result = new KVPair[1];
      write(() -> result[0] = super.atomicPut(key, value, previous, options));
      return result[0];
    }

    @Override
    public synchronized long atomicDelete(String key, KVPair previous) {
      long[] index = new long[1];
      write(() -> index[0] = super.atomicDelete(key, previous));
      return index[0];
    }

    @Override
    public synchronized KVPair get(String key, ReadOptions options) {
      applyDelayed();
      if (++reads % 6 == 0) {
        throw new StoreUnavailableException("no endpoint answered the read");
      }
      return super.get(key, options);
    }

    private void write(Runnable call) {
      applyDelayed();
      int n = ++writes;
      if (n % 7 == 0) {
        throw new StoreUnavailableException("connection refused");
      }
      if (n % 29 == 0) {
        delayed = call;
        throw new StoreUnavailableException("timed out", null, true);
      }
      call.run();
      if (n % 23 == 0) {
        throw new StoreUnavailableException("timed out after sending", null, true);
      }
      if (n % 53 == 0) {
        throw new StoreException("the response could not be parsed");
      }
    }

    private void applyDelayed() {
      Runnable call = delayed;
      delayed = null;
      if (call != null) {
        try {
          call.run();
        } catch (StoreException e) {
          // the delayed copy failed its condition: it changed nothing
        }
      }
    }
  }

  /** Its first put never returns until the calling thread is interrupted. */
  static final class HangingPut extends ForwardingStore {
    private final CountDownLatch never = new CountDownLatch(1);
    private boolean hung;

    HangingPut(Store delegate) {
      super(delegate);
    }

    @Override
    public void put(String key, byte[] value, WriteOptions options) {
      synchronized (this) {
        if (hung) {
          super.put(key, value, options);
          return;
        }
        hung = true;
      }
      try {
        never.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new StoreUnavailableException("interrupted while waiting", null, true);
    }
  }
}
