package dev.valkeyrie.etcdv2;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.etcd.launcher.EtcdCluster;
import dev.valkeyrie.store.InvalidConfigurationException;
import dev.valkeyrie.store.Store;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A real etcd 3.4 started without {@code --enable-v2}, as etcd 3.4 and later run by default: every
 * call says the v2 API is off, names the member, and points to the v3 backend.
 */
class V2ApiOffTest {

  @RegisterExtension
  static final EtcdClusterExtension ETCD =
      EtcdClusterExtension.of(EtcdCluster.builder().name("v2off").v2Api(false));

  static Stream<Arguments> calls() {
    return Stream.of(
        call("put", s -> s.put("app/k", "v".getBytes(UTF_8))),
        call("get", s -> s.get("app/k")),
        call("list", s -> s.list("app")),
        call("atomicPut", s -> s.atomicPut("app/k", "v".getBytes(UTF_8), null, null)),
        call("deleteTree", s -> s.deleteTree("app")),
        call("watch", s -> s.watch("app/k").close()));
  }

  private static Arguments call(String name, Consumer<Store> call) {
    return Arguments.of(name, call);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("calls")
  void everyCallSaysTheV2ApiIsOffAndNamesTheMember(String name, Consumer<Store> call) {
    String endpoint = ETCD.endpoints().get(0);
    try (Store store = EtcdV2Store.open(ETCD.endpoints(), null)) {
      assertThatThrownBy(() -> call.accept(store))
          .isInstanceOfSatisfying(
              V2ApiNotEnabledException.class, e -> assertThat(e.endpoint()).isEqualTo(endpoint))
          .isInstanceOf(InvalidConfigurationException.class)
          .hasMessageContaining("etcd at " + endpoint + " does not serve the v2 API")
          .hasMessageContaining("--enable-v2=true")
          .hasMessageContaining("etcd v3 backend (etcdv3)");
    }
  }

  @Test
  void credentialsNeverAppearInTheRefusal() {
    EtcdV2Config config = EtcdV2Config.builder().username("app").password("s3cret-pw").build();
    try (Store store = EtcdV2Store.open(ETCD.endpoints(), config)) {
      assertThatThrownBy(() -> store.get("app/k"))
          .isInstanceOf(V2ApiNotEnabledException.class)
          .satisfies(e -> assertThat(e.toString()).doesNotContain("s3cret-pw"));
    }
  }
}
