package dev.valkeyrie.etcd.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MissingBinaryTest {
  @TempDir Path tmp;

  @Test
  void missingBinaryExplainsHowToInstallEtcd() throws Exception {
    Path missing = tmp.resolve("no-such-etcd");
    String name = "missing-" + UUID.randomUUID().toString().substring(0, 8);
    EtcdCluster cluster = EtcdCluster.builder().name(name).etcdBinary(missing).build();

    assertThatThrownBy(cluster::start)
        .isInstanceOf(EtcdNotInstalledException.class)
        .isInstanceOf(EtcdStartException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("apt-get install etcd-server")
        .hasMessageContaining("VALKEYRIE_ETCD_BINARY");
    // Fails before creating anything.
    try (Stream<Path> tempDirs = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      assertThat(tempDirs.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.startsWith("valkeyrie-etcd-" + name));
    }
  }

  @Test
  void nonExecutableFileIsReportedAsNotInstalled() throws Exception {
    Path notExecutable = Files.writeString(tmp.resolve("etcd"), "not a binary");

    assertThatThrownBy(() -> EtcdCluster.builder().etcdBinary(notExecutable).build().start())
        .isInstanceOf(EtcdNotInstalledException.class)
        .hasMessageContaining(notExecutable.toString());
  }

  @Test
  void explicitPathBeatsEnvironmentVariableWhichBeatsDefault() {
    Path explicit = Path.of("/opt/etcd/bin/etcd");
    Map<String, String> env = Map.of("VALKEYRIE_ETCD_BINARY", "/from/env/etcd");

    assertThat(EtcdBinary.resolve(explicit, env).path()).isEqualTo(explicit);
    assertThat(EtcdBinary.resolve(null, env).path()).isEqualTo(Path.of("/from/env/etcd"));
    assertThat(EtcdBinary.resolve(null, Map.of()).path()).isEqualTo(Path.of("/usr/bin/etcd"));
    assertThat(EtcdBinary.resolve(null, Map.of("VALKEYRIE_ETCD_BINARY", " ")).path())
        .isEqualTo(Path.of("/usr/bin/etcd"));
  }
}
