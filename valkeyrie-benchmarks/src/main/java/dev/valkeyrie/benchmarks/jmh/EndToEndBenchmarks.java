package dev.valkeyrie.benchmarks.jmh;

import dev.valkeyrie.benchmarks.Etcd4jClient;
import dev.valkeyrie.benchmarks.LoadSuite;
import dev.valkeyrie.benchmarks.ValkeyrieClient;
import dev.valkeyrie.benchmarks.Workload;
import dev.valkeyrie.etcd.launcher.EtcdCluster;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One blocking request end to end against a real etcd member on loopback, single-threaded: run with
 * {@code -prof gc} its {@code gc.alloc.rate.norm} is the bytes allocated per request in the whole
 * JVM (caller and I/O threads).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EndToEndBenchmarks {
  private EtcdCluster etcd;
  private ValkeyrieClient valkeyrie;
  private Etcd4jClient etcd4j;

  @Setup(Level.Trial)
  public void start() throws Exception {
    etcd = EtcdCluster.builder().members(1).name("jmh").build().start();
    LoadSuite.seed(etcd.clientEndpoints());
    valkeyrie = new ValkeyrieClient(etcd.clientEndpoints());
    etcd4j = new Etcd4jClient(etcd.clientEndpoints());
  }

  @TearDown(Level.Trial)
  public void stop() {
    if (valkeyrie != null) {
      valkeyrie.close();
    }
    if (etcd4j != null) {
      etcd4j.close();
    }
    if (etcd != null) {
      etcd.close();
    }
  }

  /** {@code store.get(key)}, non-quorum. */
  @Benchmark
  public void valkeyrieGet() {
    valkeyrie.call(Workload.GET_ONE);
  }

  /** {@code store.put(key, 100 bytes)}. */
  @Benchmark
  public void valkeyriePut() {
    valkeyrie.call(Workload.PUT_100B);
  }

  /** etcd4j's get of the same key, for comparison. */
  @Benchmark
  public void etcd4jGet() throws Exception {
    etcd4j.call(Workload.GET_ONE);
  }
}
