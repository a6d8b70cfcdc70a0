package dev.valkeyrie.testsuite.linearizability;

import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.KeyNotFoundException;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.testsuite.linearizability.Operation.Kind;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * One client of a run: random calls on a few keys through its own store until told to stop or it
 * made as many calls as it may.
 *
 * <p>About 30% puts, 35% consistent gets, 20% atomicPuts (half create-only, half on the pair this
 * client last read or wrote on that key) and 15% atomicDeletes on that pair (a get when it has
 * none). Every value written is {@code c<client>-<n>}, unique in the run, as the checker needs.
 */
final class ClientLoop implements Runnable {

  private final int client;
  private final Store store;
  private final List<String> keys;
  private final Recorder recorder;
  private final Random random;
  private final BooleanSupplier running;
  private final long maxCalls;
  private final Map<String, KVPair> lastPair = new HashMap<>();
  private int written;

  ClientLoop(
      int client,
      Store store,
      List<String> keys,
      Recorder recorder,
      long seed,
      BooleanSupplier running,
      long maxCalls) {
    this.client = client;
    this.store = store;
    this.keys = keys;
    this.recorder = recorder;
    this.random = new Random(seed);
    this.running = running;
    this.maxCalls = maxCalls;
  }

  @Override
  public void run() {
    for (long calls = 0; calls < maxCalls && running.getAsBoolean(); calls++) {
      String key = keys.get(random.nextInt(keys.size()));
      KVPair pair = lastPair.get(key);
      int roll = random.nextInt(100);
      if (roll < 30) {
        put(key);
      } else if (roll < 65) {
        get(key);
      } else if (roll < 85) {
        atomicPut(key, random.nextBoolean() ? pair : null);
      } else if (pair == null) {
        get(key);
      } else {
        atomicDelete(key, pair);
      }
    }
  }

  private void put(String key) {
    String value = nextValue();
    Recorder.Call call = recorder.begin(client, key, Kind.PUT, value, null);
    try {
      store.put(key, bytes(value));
    } catch (RuntimeException e) {
      call.failed(e);
      return;
    }
    call.succeeded(null);
  }

  private void get(String key) {
    Recorder.Call call = recorder.begin(client, key, Kind.GET, null, null);
    KVPair pair;
    try {
      pair = store.get(key);
    } catch (RuntimeException e) {
      call.failed(e);
      if (e instanceof KeyNotFoundException) {
        lastPair.remove(key);
      }
      return;
    }
    call.succeeded(pair);
    if (pair != null) {
      lastPair.put(key, pair);
    }
  }

  private void atomicPut(String key, @Nullable KVPair previous) {
    String value = nextValue();
    Recorder.Call call = recorder.begin(client, key, Kind.ATOMIC_PUT, value, valueOf(previous));
    KVPair pair;
    try {
      pair = store.atomicPut(key, bytes(value), previous, null);
    } catch (RuntimeException e) {
      call.failed(e);
      return;
    }
    call.succeeded(pair);
    if (pair != null) {
      lastPair.put(key, pair);
    }
  }

  private void atomicDelete(String key, KVPair previous) {
    Recorder.Call call = recorder.begin(client, key, Kind.ATOMIC_DELETE, null, valueOf(previous));
    try {
      store.atomicDelete(key, previous);
    } catch (RuntimeException e) {
      call.failed(e);
      return;
    }
    call.succeeded(null);
    lastPair.remove(key);
  }

  private String nextValue() {
    return "c" + client + "-" + written++;
  }

  private static @Nullable String valueOf(@Nullable KVPair pair) {
    return pair == null ? null : pair.valueAsString();
  }

  private static byte[] bytes(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }
}
