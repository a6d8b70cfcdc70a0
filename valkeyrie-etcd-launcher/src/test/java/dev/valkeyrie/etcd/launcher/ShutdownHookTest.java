package dev.valkeyrie.etcd.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ShutdownHookTest {

  /**
   * A JVM that never calls close() must still exit by itself (no non-daemon threads) and leave no
   * etcd process or directory behind. Runs without JUnit on the class path, as the example program
   * does.
   */
  @Test
  void jvmExitWithoutCloseKillsMembersAndDeletesDirectories() throws Exception {
    String classPath =
        location(EtcdCluster.class) + File.pathSeparator + location(AbandonedClusterMain.class);
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                classPath,
                AbandonedClusterMain.class.getName(),
                "2")
            .redirectErrorStream(true)
            .start();

    boolean exited = child.waitFor(60, TimeUnit.SECONDS);
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!exited) {
      child.destroyForcibly().waitFor();
    }

    assertThat(exited).as("child JVM exited by itself; output:%n%s", output).isTrue();
    assertThat(child.exitValue()).as(output).isZero();
    List<Long> pids =
        output
            .lines()
            .filter(l -> l.startsWith("pid="))
            .map(l -> Long.valueOf(l.substring("pid=".length())))
            .toList();
    Path root =
        output
            .lines()
            .filter(l -> l.startsWith("root="))
            .map(l -> Path.of(l.substring("root=".length())))
            .findFirst()
            .orElseThrow();
    assertThat(pids).hasSize(2);
    assertThat(pids)
        .allSatisfy(
            pid -> assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty());
    assertThat(root).doesNotExist();
  }

  private static String location(Class<?> type) throws Exception {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }
}
