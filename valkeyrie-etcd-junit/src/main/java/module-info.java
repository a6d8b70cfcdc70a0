/** For tests: a JUnit 5 extension running real etcd clusters, and a fault-injecting proxy. */
module dev.valkeyrie.etcd.junit {
  requires transitive dev.valkeyrie.etcd.launcher;
  requires transitive org.junit.jupiter.api;
  requires static org.jspecify;

  exports dev.valkeyrie.etcd.junit;
  exports dev.valkeyrie.etcd.faults;
}
