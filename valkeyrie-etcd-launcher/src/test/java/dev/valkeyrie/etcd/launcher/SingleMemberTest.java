package dev.valkeyrie.etcd.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SingleMemberTest {
  private EtcdCluster cluster;

  @AfterEach
  void closeCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void startsRoundTripsV2AndLeavesNothingBehindOnClose() throws Exception {
    cluster = EtcdCluster.builder().name("single").build().start();
    EtcdMember member = cluster.member(0);
    String endpoint = member.clientEndpoint();

    assertThat(cluster.clientEndpoints()).containsExactly(endpoint);
    assertThat(endpoint).matches("http://127\\.0\\.0\\.1:\\d+");
    assertThat(member.name()).isEqualTo("single-0");
    assertThat(member.isRunning()).isTrue();
    assertThat(cluster.leader()).isSameAs(member);

    HttpResponse<String> put = V2Client.put(endpoint, "greeting", "hello world");
    assertThat(put.statusCode()).isEqualTo(201);
    assertThat(V2Client.value(endpoint, "greeting", false)).isEqualTo("hello world");
    // The readiness probe key is hidden and deleted again.
    assertThat(V2Client.get(endpoint, "/v2/keys/", Duration.ofSeconds(5)).body())
        .doesNotContain("_valkeyrie_probe");

    long pid = member.pid();
    Path dataDir = member.dataDirectory();
    Path root = dataDir.getParent().getParent();
    assertThat(dataDir.resolve("member")).isDirectory();
    assertThat(dataDir.getParent().resolve("etcd.log")).isRegularFile();

    cluster.close();

    assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
    assertThat(member.isRunning()).isFalse();
    assertThat(root).doesNotExist();
    cluster.close(); // idempotent
    assertThatThrownBy(member::start).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(cluster::start).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void killThenStartKeepsDataPortsAndDirectory() throws Exception {
    cluster = EtcdCluster.builder().name("restart").build().start();
    EtcdMember member = cluster.member(0);
    String endpoint = member.clientEndpoint();
    Path dataDir = member.dataDirectory();
    assertThat(V2Client.put(endpoint, "survivor", "still-here").statusCode()).isEqualTo(201);
    long firstPid = member.pid();

    member.kill();

    assertThat(member.isRunning()).isFalse();
    assertThat(ProcessHandle.of(firstPid).filter(ProcessHandle::isAlive)).isEmpty();
    assertThatThrownBy(() -> V2Client.get(endpoint, "/health", Duration.ofSeconds(2)))
        .isInstanceOf(java.net.ConnectException.class);

    member.start();

    assertThat(member.isRunning()).isTrue();
    assertThat(member.pid()).isNotEqualTo(firstPid);
    assertThat(member.clientEndpoint()).isEqualTo(endpoint);
    assertThat(member.dataDirectory()).isEqualTo(dataDir);
    assertThat(V2Client.value(endpoint, "survivor", false)).isEqualTo("still-here");
    assertThat(Files.readString(dataDir.getParent().resolve("etcd.log")))
        .contains("--initial-cluster-state=new")
        .contains("--initial-cluster-state=existing");
  }

  @Test
  void stopThenStartKeepsData() throws Exception {
    cluster = EtcdCluster.builder().name("stop").build().start();
    EtcdMember member = cluster.member(0);
    assertThat(V2Client.put(member.clientEndpoint(), "k", "v").statusCode()).isEqualTo(201);

    member.stop();
    assertThat(member.isRunning()).isFalse();
    member.start();

    assertThat(V2Client.value(member.clientEndpoint(), "k", true)).isEqualTo("v");
  }

  @Test
  void pauseMakesRequestsTimeOutAndResumeMakesItAnswerAgain() throws Exception {
    cluster = EtcdCluster.builder().name("pause").build().start();
    EtcdMember member = cluster.member(0);
    String endpoint = member.clientEndpoint();

    member.pause();

    assertThat(member.isRunning()).isTrue();
    assertThatThrownBy(() -> V2Client.get(endpoint, "/health", Duration.ofMillis(300)))
        .isInstanceOf(HttpTimeoutException.class);

    member.resume();

    HttpResponse<String> health = V2Client.get(endpoint, "/health", Duration.ofSeconds(5));
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("\"health\":\"true\"");
  }

  @Test
  void closeStopsAPausedMember() {
    cluster = EtcdCluster.builder().name("paused-close").build().start();
    EtcdMember member = cluster.member(0);
    long pid = member.pid();
    Path root = member.dataDirectory().getParent().getParent();
    member.pause();

    cluster.close();

    Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    assertThat(process).isEmpty();
    assertThat(root).doesNotExist();
  }

  @Test
  void aMemberThatFailsToStartReportsCommandLineAndLogTail() {
    EtcdCluster broken = EtcdCluster.builder().name("broken").extraArgs("--no-such-flag=1").build();

    assertThatThrownBy(broken::start)
        .isInstanceOf(EtcdStartException.class)
        .hasMessageContaining("etcd member broken-0 exited during start")
        .hasMessageContaining("--enable-v2=true")
        .hasMessageContaining("--no-such-flag=1")
        .hasMessageContaining("flag provided but not defined");
    assertThat(broken.toString()).contains("closed");
  }
}
