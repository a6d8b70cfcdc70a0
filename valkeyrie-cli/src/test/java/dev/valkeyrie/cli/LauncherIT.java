package dev.valkeyrie.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.etcd.launcher.EtcdCluster;
import dev.valkeyrie.etcdv2.EtcdV2Store;
import dev.valkeyrie.store.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * bin/valkeyrie itself: the version, and repeated runs of one command; their wall time is printed
 * as a figure ({@code FIGURE:} in {@code target/failsafe-reports/*-output.txt}), not asserted.
 */
class LauncherIT {

  @RegisterExtension static final EtcdClusterExtension ETCD = EtcdClusterExtension.members(1);

  @Test
  void printsTheVersion() {
    Cli.Result version = Cli.of("--version").run();

    assertThat(version.exitCode()).isZero();
    assertThat(version.stdout())
        .startsWith("valkeyrie 0.1.0-SNAPSHOT (backends: etcdv2, etcdv3)\nJava ");
  }

  @Test
  void answersEveryGetOnAWarmEtcd(EtcdCluster etcd) {
    String endpoint = etcd.clientEndpoints().get(0);
    try (Store store = EtcdV2Store.open(etcd.clientEndpoints(), null)) {
      store.put("fast/k", "v".getBytes(UTF_8));
    }
    Cli.of("get", "fast/k", "--endpoints", endpoint).run(); // warm-up (and the start-up archive)

    List<Long> millis = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      long start = System.nanoTime();
      Cli.Result get = Cli.of("get", "fast/k", "--endpoints", endpoint).run();
      millis.add((System.nanoTime() - start) / 1_000_000);
      assertThat(get.stdout()).isEqualTo("v\n");
    }
    millis.sort(null);
    // The start time the README quotes (about 0.3 s); measured here, asserted nowhere.
    figure(
        "bin/valkeyrie get on a warm etcd: median %d ms of %d runs (sorted, ms: %s)",
        millis.get(millis.size() / 2), millis.size(), millis);
  }

  /** Prints a figure as the backend's {@code TestSupport.figure} does: {@code FIGURE: ...}. */
  private static void figure(String format, Object... args) {
    System.out.println("FIGURE: " + String.format(Locale.ROOT, format, args));
  }
}
