package dev.valkeyrie.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.valkeyrie.etcd.junit.EtcdClusterExtension;
import dev.valkeyrie.etcd.launcher.EtcdCluster;
import dev.valkeyrie.etcdv2.EtcdV2Store;
import dev.valkeyrie.etcdv3.EtcdV3Store;
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
    try (Store store = EtcdV2Store.open(etcd.clientEndpoints(), null)) {
      store.put("fast/k", "v".getBytes(UTF_8));
    }
    timeGets("bin/valkeyrie get", etcd.clientEndpoints().get(0));
  }

  @Test
  void answersEveryV3GetOnAWarmEtcd(EtcdCluster etcd) {
    try (Store store = EtcdV3Store.open(etcd.clientEndpoints(), null)) {
      store.put("fast/k", "v".getBytes(UTF_8));
    }
    timeGets(
        "bin/valkeyrie get --backend etcdv3", etcd.clientEndpoints().get(0), "--backend", "etcdv3");
  }

  private static void timeGets(String what, String endpoint, String... options) {
    List<String> args = new ArrayList<>(List.of("get", "fast/k", "--endpoints", endpoint));
    args.addAll(List.of(options));
    String[] command = args.toArray(String[]::new);
    Cli.of(command).run(); // warm-up (and the start-up archive)

    List<Long> millis = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      long start = System.nanoTime();
      Cli.Result get = Cli.of(command).run();
      millis.add((System.nanoTime() - start) / 1_000_000);
      assertThat(get.stdout()).as(get.toString()).isEqualTo("v\n");
    }
    millis.sort(null);
    // The start time the README quotes; measured here, asserted nowhere.
    figure(
        "%s on a warm etcd: median %d ms of %d runs (sorted, ms: %s)",
        what, millis.get(millis.size() / 2), millis.size(), millis);
  }

  /** Prints a figure as the backend's {@code TestSupport.figure} does: {@code FIGURE: ...}. */
  private static void figure(String format, Object... args) {
    System.out.println("FIGURE: " + String.format(Locale.ROOT, format, args));
  }
}
