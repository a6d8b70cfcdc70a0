package dev.valkeyrie.testsuite.reference;

import dev.valkeyrie.store.InvalidKeyException;
import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.KeyNotFoundException;
import dev.valkeyrie.store.KeyTypeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A small in-memory "server" that {@link MemoryStore}s connect to: the reference implementation the
 * conformance suite checks itself against. Every operation runs under the server's monitor.
 */
final class MemoryServer {

  static final String LOCK_SUFFIX = "___lock";

  /** One server for every reference test class, as a real backend's tests share one cluster. */
  static final MemoryServer SHARED = new MemoryServer();

  static final class Node {
    final boolean dir;
    byte[] value;
    long modifiedIndex;
    long expiresAtNanos; // 0: no TTL
    Duration ttl = Duration.ZERO;
    MemoryStore keptAliveBy;

    Node(boolean dir, byte[] value, long modifiedIndex) {
      this.dir = dir;
      this.value = value;
      this.modifiedIndex = modifiedIndex;
    }
  }

  final TreeMap<String, Node> nodes = new TreeMap<>();
  final Map<String, MemoryLocker.MemoryLease> locks = new HashMap<>();
  private final List<MemoryWatch<?>> watches = new CopyOnWriteArrayList<>();
  private long index;

  MemoryServer() {
    ScheduledExecutorService sweeper =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "memory-server-sweeper");
              thread.setDaemon(true);
              return thread;
            });
    // Runs until close() shuts the sweeper down.
    ScheduledFuture<?> unused =
        sweeper.scheduleWithFixedDelay(this::sweep, 50, 50, TimeUnit.MILLISECONDS);
  }

  MemoryStore connect() {
    return new MemoryStore(this);
  }

  long nextIndex() {
    return ++index;
  }

  static String normalize(String key) {
    if (key == null) {
      throw new InvalidKeyException("key is null");
    }
    String k = key.startsWith("/") ? key.substring(1) : key;
    if (k.isBlank()) {
      throw new InvalidKeyException("key is blank: '" + key + "'");
    }
    for (String segment : k.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw new InvalidKeyException("invalid segment in key '" + key + "'");
      }
    }
    return k;
  }

  static List<String> ancestors(String key) {
    List<String> result = new ArrayList<>();
    for (int slash = key.indexOf('/'); slash >= 0; slash = key.indexOf('/', slash + 1)) {
      result.add(key.substring(0, slash));
    }
    return result;
  }

  /** Writes a key (not a directory), creating its parents. Caller holds the monitor. */
  Node write(String key, byte[] value, Duration ttl, MemoryStore keepAliveOwner) {
    checkParents(key);
    Node existing = nodes.get(key);
    if (existing != null && existing.dir) {
      throw new KeyTypeException("'" + key + "' is a directory");
    }
    createParents(key);
    Node node = new Node(false, value.clone(), nextIndex());
    setTtl(node, ttl, keepAliveOwner);
    nodes.put(key, node);
    changed(key);
    return node;
  }

  void makeDirectory(String key, Duration ttl) {
    checkParents(key);
    Node existing = nodes.get(key);
    if (existing != null) {
      if (!existing.dir) {
        throw new KeyTypeException("'" + key + "' is a key, not a directory");
      }
      return;
    }
    createParents(key);
    Node node = new Node(true, new byte[0], nextIndex());
    setTtl(node, ttl, null);
    nodes.put(key, node);
    changed(key);
  }

  private static void setTtl(Node node, Duration ttl, MemoryStore keepAliveOwner) {
    if (!ttl.isZero()) {
      node.ttl = ttl;
      node.expiresAtNanos = System.nanoTime() + ttl.toNanos();
      node.keptAliveBy = keepAliveOwner;
    }
  }

  private void checkParents(String key) {
    for (String parent : ancestors(key)) {
      Node node = nodes.get(parent);
      if (node != null && !node.dir) {
        throw new KeyTypeException("parent '" + parent + "' of '" + key + "' is a key");
      }
    }
  }

  private void createParents(String key) {
    for (String parent : ancestors(key)) {
      nodes.computeIfAbsent(parent, p -> new Node(true, new byte[0], nextIndex()));
    }
  }

  /** Removes a node and everything below it. Caller holds the monitor. */
  void removeTree(String key) {
    nodes.remove(key);
    nodes.subMap(key + "/", key + "0").clear();
    changed(key);
  }

  Map<String, Node> below(String dir) {
    return nodes.subMap(dir + "/", dir + "0");
  }

  List<KVPair> listing(String dir) {
    Node node = nodes.get(dir);
    if (node == null) {
      throw new KeyNotFoundException("directory not found: " + dir);
    }
    List<KVPair> result = new ArrayList<>();
    if (node.dir) {
      below(dir)
          .forEach(
              (key, child) -> {
                if (!key.contains(LOCK_SUFFIX)) {
                  result.add(new KVPair(key, child.value, child.modifiedIndex));
                }
              });
    }
    return result;
  }

  void register(MemoryWatch<?> watch) {
    watches.add(watch);
  }

  void unregister(MemoryWatch<?> watch) {
    watches.remove(watch);
  }

  private void changed(String key) {
    for (MemoryWatch<?> watch : watches) {
      watch.changed(key);
    }
  }

  private void sweep() {
    synchronized (this) {
      long now = System.nanoTime();
      Set<String> expired = new TreeSet<>();
      nodes.forEach(
          (key, node) -> {
            if (node.expiresAtNanos == 0) {
              return;
            }
            if (node.keptAliveBy != null && !node.keptAliveBy.isClosed()) {
              node.expiresAtNanos = now + node.ttl.toNanos();
            } else if (now - node.expiresAtNanos >= 0) {
              expired.add(key);
            }
          });
      expired.forEach(
          key -> {
            if (nodes.containsKey(key)) {
              removeTree(key);
            }
          });
    }
  }
}
