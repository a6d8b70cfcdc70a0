package dev.valkeyrie.migrate;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.etcdv2.EtcdV2Store;
import dev.valkeyrie.etcdv3.EtcdV3Store;
import dev.valkeyrie.store.KVPair;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The whole v2 tree of one etcd 3.4 cluster moved into the v3 key space of another. */
class TwoClustersTest {
  @RegisterExtension static final EtcdClusterExtension SOURCE = EtcdClusterExtension.members(1);
  @RegisterExtension static final EtcdClusterExtension TARGET = EtcdClusterExtension.members(1);

  @Test
  void copiesAndFollowsTheWholeTreeIntoAnotherCluster() throws Exception {
    try (EtcdV2Store v2 = EtcdV2Store.open(SOURCE.endpoints(), null);
        EtcdV3Store v3 = EtcdV3Store.open(TARGET.endpoints(), null)) {
      List<String> keys = Trees.writeMixed(v2, "app");
      Trees.writeMixed(v2, "other");
      v2.put("top-level", "at the root".getBytes(UTF_8), null);
      v2.put("_hidden/key", "not in recursive reads".getBytes(UTF_8), null);
      try (Migration migration =
          Migration.builder()
              .source(SOURCE.endpoints(), null)
              .target(TARGET.endpoints(), null)
              .build()) {
        CopyResult copy = migration.copy();
        assertThat(copy.plan().foreignKeys()).isZero();
        assertThat(migration.verify().differences()).isEmpty();
        try (Following following = Following.start(migration)) {
          v2.put("app/config/greeting", "changed".getBytes(UTF_8), null);
          v2.deleteTree("other");
          v2.put("new-root/key", "new".getBytes(UTF_8), Trees.ttl(Duration.ofMinutes(5)));
          following.awaitInStep();
        }
      }
      for (String key : keys) {
        assertThat(v3.get(key).value()).as(key).isEqualTo(v2.get(key).value());
      }
      assertThat(v3.exists("other")).isFalse();
      assertThat(v3.exists("_hidden/key")).isFalse();
      assertThat(v3.list("").stream().map(KVPair::key))
          .contains("_valkeyrie_migrate/%2F/state")
          .noneMatch(key -> key.contains("___lock"));
    }
  }

  /** The other way round (v2 of TARGET into v3 of SOURCE), so the two tests never meet. */
  @Test
  void aPrefixMovesAloneAndItsBookkeepingLiesBesideIt() {
    try (EtcdV2Store v2 = EtcdV2Store.open(TARGET.endpoints(), null);
        EtcdV3Store v3 = EtcdV3Store.open(SOURCE.endpoints(), null)) {
      String prefix = Trees.prefix("alone") + "/sub";
      Trees.writeMixed(v2, prefix);
      v2.put(prefix + "-sibling", "stays in v2".getBytes(UTF_8), null);
      try (Migration migration =
          Migration.builder().source(v2).target(v3).prefix("/" + prefix + "/").build()) {
        migration.copy();
        assertThat(migration.verify().matches()).isTrue();
        assertThat(migration.stateKey())
            .isEqualTo("_valkeyrie_migrate/" + prefix.replace("/", "%2F") + "/state");
        assertThat(v3.exists(migration.stateKey())).isTrue();
      }
      assertThat(v3.exists(prefix + "-sibling")).isFalse();
    }
  }
}
