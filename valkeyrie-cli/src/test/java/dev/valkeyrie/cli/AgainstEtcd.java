package dev.valkeyrie.cli;

import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.etcd.launcher.EtcdCluster;
import dev.valkeyrie.etcdv2.EtcdV2Store;
import dev.valkeyrie.store.Store;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Process tests that run bin/valkeyrie against one real etcd member: the member's endpoint, and a
 * store of the test's own to arrange and check state with.
 */
abstract class AgainstEtcd {

  @RegisterExtension static final EtcdClusterExtension ETCD = EtcdClusterExtension.members(1);

  static String endpoint;
  static Store store;

  @BeforeAll
  static void open(EtcdCluster etcd) {
    endpoint = etcd.clientEndpoints().get(0);
    store = EtcdV2Store.open(etcd.clientEndpoints(), null);
  }

  @AfterAll
  static void close() {
    store.close();
  }
}
