/** Starts, stops, kills and pauses real etcd processes on loopback. JDK only. */
module dev.valkeyrie.etcd.launcher {
  requires static org.jspecify;

  exports dev.valkeyrie.etcd.launcher;
}
