package dev.valkeyrie.etcd.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.valkeyrie.etcd.launcher.EtcdCluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/** Runs {@link Fixture} through the JUnit launcher to see the whole class lifecycle. */
class EtcdClusterExtensionLifecycleTest {

  @Test
  void startsOneClusterForTheClassAndItsNestedClassesAndClosesItAfterwards() {
    Fixture.SEEN.clear();
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    Launcher launcher = LauncherFactory.create();

    launcher.execute(
        LauncherDiscoveryRequestBuilder.request().selectors(selectClass(Fixture.class)).build(),
        listener);

    TestExecutionSummary summary = listener.getSummary();
    assertThat(summary.getFailures()).isEmpty();
    assertThat(summary.getTestsSucceededCount()).isEqualTo(3);
    assertThat(Fixture.SEEN).hasSize(3).allMatch(c -> c == Fixture.SEEN.get(0));

    EtcdCluster cluster = Fixture.SEEN.get(0);
    assertThat(cluster.toString()).contains("closed");
    assertThat(Fixture.PIDS).isNotEmpty();
    assertThat(Fixture.PIDS)
        .allSatisfy(
            pid -> assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty());
    assertThat(Fixture.ROOT[0]).isNotNull().doesNotExist();
  }

  /** Not run by Surefire directly (nested classes are excluded); only through the launcher. */
  static class Fixture {
    static final List<EtcdCluster> SEEN = new ArrayList<>();
    static final List<Long> PIDS = new ArrayList<>();
    static final Path[] ROOT = new Path[1];

    @RegisterExtension
    static final EtcdClusterExtension ETCD =
        EtcdClusterExtension.of(EtcdCluster.builder().name("ext-lifecycle"));

    @Test
    void first(EtcdCluster etcd) {
      record(etcd);
    }

    @Test
    void second(EtcdCluster etcd) {
      record(etcd);
    }

    static void record(EtcdCluster etcd) {
      assertThat(etcd.member(0).isRunning()).isTrue();
      SEEN.add(etcd);
      PIDS.add(etcd.member(0).pid());
      ROOT[0] = etcd.member(0).dataDirectory().getParent().getParent();
    }

    @Nested
    class Inner {
      @Test
      void sharesTheEnclosingCluster(EtcdCluster etcd) {
        record(etcd);
      }
    }
  }
}
