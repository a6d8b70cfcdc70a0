/**
 * Moves a live etcd v2 tree into the v3 key space: {@link dev.valkeyrie.migrate.Migration}. Only
 * {@code dev.valkeyrie.migrate} is exported.
 */
// valkeyrie-store and valkeyrie-etcdv3's dependencies are automatic modules.
@SuppressWarnings({"module", "requires-automatic", "requires-transitive-automatic"})
module dev.valkeyrie.migrate {
  requires transitive dev.valkeyrie.store;
  requires transitive dev.valkeyrie.etcdv2;
  requires transitive dev.valkeyrie.etcdv3;
  requires static transitive org.jspecify;

  exports dev.valkeyrie.migrate;
}
