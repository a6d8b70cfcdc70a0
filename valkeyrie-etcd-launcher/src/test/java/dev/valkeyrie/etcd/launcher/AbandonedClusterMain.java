package dev.valkeyrie.etcd.launcher;

/**
 * Run in a child JVM by {@link ShutdownHookTest}, with only this module's classes on the class path
 * (no JUnit): starts a cluster, prints where it lives, and returns from main without closing it.
 */
public final class AbandonedClusterMain {
  private AbandonedClusterMain() {}

  public static void main(String[] args) {
    EtcdCluster cluster = EtcdCluster.builder().members(Integer.parseInt(args[0])).build().start();
    for (EtcdMember member : cluster.members()) {
      System.out.println("pid=" + member.pid());
    }
    System.out.println("root=" + cluster.member(0).dataDirectory().getParent().getParent());
  }
}
