package dev.valkeyrie.etcdv2.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.valkeyrie.testing.etcd.EtcdCluster;
import dev.valkeyrie.testing.etcd.EtcdMember;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/** What the cluster tests share: endpoint orders, a thread of their own, figures. */
final class ClusterSupport {
  private ClusterSupport() {}

  static byte[] utf8(String text) {
    return text.getBytes(UTF_8);
  }

  /**
   * Prints a measured figure on one line starting with {@code FIGURE:}, for grepping from
   * {@code target/surefire-reports/*-output.txt}.
   */
  static void figure(String format, Object... args) {
    System.out.println("FIGURE: " + String.format(Locale.ROOT, format, args));
  }

  static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  /** Every member's endpoint, {@code first}'s in front, the others in member order. */
  static List<String> endpointsStartingWith(EtcdCluster cluster, EtcdMember first) {
    List<String> endpoints = new ArrayList<>();
    endpoints.add(first.clientEndpoint());
    for (EtcdMember m : cluster.members()) {
      if (m != first) {
        endpoints.add(m.clientEndpoint());
      }
    }
    return endpoints;
  }

  /** A member that is not the leader. */
  static EtcdMember aFollower(EtcdCluster cluster) {
    EtcdMember leader = cluster.leader();
    return cluster.members().stream().filter(m -> m != leader).findFirst().orElseThrow();
  }

  /** What a thread of its own runs. */
  @FunctionalInterface
  interface Task<T> {
    T call() throws Exception;
  }

  /** Runs {@code task} on a new daemon thread (not the common pool: one thread on 2 cores). */
  static <T> CompletableFuture<T> onThread(String name, Task<T> task) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread thread = new Thread(() -> {
      try {
        result.complete(task.call());
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    }, "cluster-test-" + name);
    thread.setDaemon(true);
    thread.start();
    return result;
  }
}
