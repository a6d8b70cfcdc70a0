package dev.valkeyrie.benchmarks;

import dev.valkeyrie.etcdv2.EtcdV2Config;
import dev.valkeyrie.etcdv2.EtcdV2Store;
import dev.valkeyrie.store.Store;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The steady-state heap of an idle store, and the bytes each request allocates (in every thread of
 * this JVM: the caller's and the client's I/O threads), per client and workload.
 */
public final class MemoryBenchmarks {
  private MemoryBenchmarks() {}

  /** Heap held by one open, idle store that has served a request, after collection. */
  public record IdleStore(long heapBytes, int threads) {}

  /** Allocation of one client on one workload, measured over {@code requests} sequential calls. */
  public record Allocation(String client, Workload workload, long bytesPerRequest) {}

  public static IdleStore idleStore(List<String> endpoints) throws Exception {
    long before = JvmStats.heapAfterGc();
    long threadsBefore = JvmStats.threadsNamed(WatchBenchmarks.STORE_THREADS);
    Store store = EtcdV2Store.open(endpoints, EtcdV2Config.defaults());
    try {
      store.get(Workload.GET_ONE.key());
      Thread.sleep(200);
      return new IdleStore(
          JvmStats.heapAfterGc() - before,
          (int) (JvmStats.threadsNamed(WatchBenchmarks.STORE_THREADS) - threadsBefore));
    } finally {
      store.close();
    }
  }

  public static List<Allocation> allocations(
      List<String> endpoints,
      List<LoadSuite.ClientFactory> clients,
      List<Workload> workloads,
      int requests,
      PrintStream log)
      throws Exception {
    List<Allocation> out = new ArrayList<>();
    for (LoadSuite.ClientFactory factory : clients) {
      Function<List<String>, BlockingClient> open = factory.open();
      try (BlockingClient client = open.apply(endpoints)) {
        for (Workload workload : workloads) {
          for (int i = 0; i < Math.max(100, requests / 2); i++) {
            client.call(workload); // warm up: JIT, connection pools
          }
          long before = JvmStats.allocatedBytes();
          for (int i = 0; i < requests; i++) {
            client.call(workload);
          }
          long after = JvmStats.allocatedBytes();
          Allocation a =
              new Allocation(
                  client.name(), workload, before < 0 ? -1 : (after - before) / requests);
          log.printf(
              "  allocation: %-16s %-30s %,10d bytes/request%n",
              a.client(), workload.label(), a.bytesPerRequest());
          out.add(a);
        }
      }
    }
    return out;
  }
}
