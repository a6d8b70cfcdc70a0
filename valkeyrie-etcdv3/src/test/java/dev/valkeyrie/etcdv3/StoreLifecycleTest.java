package dev.valkeyrie.etcdv3;

import static dev.valkeyrie.etcdv3.TestSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.store.ConnectionState;
import dev.valkeyrie.store.InvalidConfigurationException;
import dev.valkeyrie.store.StoreClosedException;
import dev.valkeyrie.store.WriteOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Opening and closing: nothing outlives {@code close()} (no thread of the store's, no gRPC
 * thread, no keep-alive), configuration is checked, secrets never show.
 */
class StoreLifecycleTest {
  @RegisterExtension static final EtcdClusterExtension ETCD = EtcdClusterExtension.members(1);

  @Test
  void noThreadOutlivesCloseEvenWithKeepAlivesAndAllMembersUsed() throws Exception {
    List<String> before = TestSupport.threadsNamed("grpc-", "valkeyrie-etcdv3-");
    EtcdV3Store store = EtcdV3Store.open(ETCD.endpoints(), EtcdV3Config.builder()
        .syncPeriod(Duration.ofSeconds(1)).build());
    String prefix = store.threadPrefix();
    store.put("lifecycle/kept", utf8("v"),
        WriteOptions.builder().ttl(Duration.ofSeconds(3)).keepAlive(true).build());
    store.put("lifecycle/plain", utf8("v"));
    assertThat(store.list("lifecycle")).hasSize(2);
    assertThat(TestSupport.threadsNamed(prefix)).as("the store's threads while open").isNotEmpty();

    store.close();

    assertThat(TestSupport.threadsNamed(prefix)).as("the store's threads after close()").isEmpty();
    assertThat(TestSupport.threadsNamed("grpc-")).as("gRPC's shared threads")
        .isSubsetOf(before);
    assertThat(store.context().leases().keptAlive()).isZero();
    assertThatThrownBy(() -> store.get("lifecycle/plain")).isInstanceOf(StoreClosedException.class);
  }

  @Test
  void closingAStoreThatNeverConnectedIsQuickAndLeavesNothing() {
    EtcdV3Store store = EtcdV3Store.open(List.of("127.0.0.1:1"), null);
    String prefix = store.threadPrefix();
    store.close();
    store.close();
    assertThat(TestSupport.threadsNamed(prefix)).isEmpty();
  }

  @Test
  void connectionStateGoesConnectedOnTheFirstAnswer() {
    try (EtcdV3Store store = EtcdV3Store.open(ETCD.endpoints(), null)) {
      assertThat(store.connectionState()).isNull();
      List<ConnectionState> seen = new CopyOnWriteArrayList<>();
      store.addConnectionStateListener(seen::add, Runnable::run);

      store.exists("lifecycle/anything");

      Awaitility.await().atMost(Duration.ofSeconds(10))
          .until(() -> seen.contains(ConnectionState.CONNECTED));
      assertThat(store.connectionState()).isEqualTo(ConnectionState.CONNECTED);
    }
  }

  @Test
  void configurationIsCheckedAndThePasswordNeverShown() {
    EtcdV3Config config = EtcdV3Config.builder().username("app").password("s3cret").build();
    assertThat(config.toString()).doesNotContain("s3cret").contains("****");
    assertThat(config.hasPassword()).isTrue();
    assertThatThrownBy(() -> EtcdV3Config.builder().keepAliveTime(Duration.ofSeconds(5)))
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("too_many_pings");
    assertThatThrownBy(() -> EtcdV3Config.builder().password("p").build())
        .isInstanceOf(InvalidConfigurationException.class);
    assertThatThrownBy(() -> EtcdV3Config.builder().maxInboundMessageBytes(1024))
        .isInstanceOf(InvalidConfigurationException.class);
  }
}
