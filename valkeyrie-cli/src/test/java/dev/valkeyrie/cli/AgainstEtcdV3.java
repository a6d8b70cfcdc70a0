package dev.valkeyrie.cli;

import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.etcd.launcher.EtcdCluster;
import dev.valkeyrie.etcdv3.EtcdV3Store;
import dev.valkeyrie.store.Store;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Process tests that run bin/valkeyrie with {@code --backend etcdv3} against one real etcd member,
 * with a v3 store of the test's own to arrange and check state with.
 */
abstract class AgainstEtcdV3 {

  @RegisterExtension static final EtcdClusterExtension ETCD = EtcdClusterExtension.members(1);

  static String endpoint;
  static Store store;

  @BeforeAll
  static void open(EtcdCluster etcd) {
    endpoint = etcd.clientEndpoints().get(0);
    store = EtcdV3Store.open(etcd.clientEndpoints(), null);
  }

  @AfterAll
  static void close() {
    store.close();
  }

  /** The command with {@code --endpoints} and {@code --backend etcdv3} after its arguments. */
  static Cli v3(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--endpoints", endpoint, "--backend", "etcdv3"));
    return Cli.of(all.toArray(String[]::new));
  }

  /** The same with the global options first, for commands that end with {@code -- COMMAND}. */
  static Cli v3First(String... args) {
    List<String> all = new ArrayList<>(List.of("--endpoints", endpoint, "--backend", "etcdv3"));
    all.addAll(List.of(args));
    return Cli.of(all.toArray(String[]::new));
  }
}
