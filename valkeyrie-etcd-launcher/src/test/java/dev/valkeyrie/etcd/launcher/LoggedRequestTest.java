package dev.valkeyrie.etcd.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoggedRequestTest {
  @TempDir Path dir;

  @Test
  void readsEtcdsDebugRequestLinesAndSkipsTheRest() throws Exception {
    Path log = dir.resolve("etcd.log");
    Files.writeString(
        log,
        """
        === 2026-11-24T05:49:12Z starting: /usr/bin/etcd --name=x
        {"level":"info","ts":"2026-11-24T05:49:12.466Z","msg":"published local member"}
        {"level":"debug","ts":"2026-11-24T05:49:13.587Z","caller":"v2http/http.go:82",\
        "msg":"handling HTTP request","method":"GET","request-uri":"/v2/members",\
        "remote-addr":"127.0.0.1:57036"}
        {"level":"debug","ts":"2026-11-24T05:49:13.600Z","caller":"v2http/http.go:82",\
        "msg":"handling HTTP request","method":"PUT",\
        "request-uri":"/v2/keys/a___lock?refresh=true\\u0026ttl=5",\
        "remote-addr":"127.0.0.1:57052"}
        """);

    List<LoggedRequest> requests = LoggedRequest.readAll(log);

    assertThat(requests)
        .containsExactly(
            new LoggedRequest(
                Instant.parse("2026-11-24T05:49:13.587Z"), "GET", "/v2/members", "127.0.0.1:57036"),
            new LoggedRequest(
                Instant.parse("2026-11-24T05:49:13.600Z"),
                "PUT",
                "/v2/keys/a___lock?refresh=true&ttl=5",
                "127.0.0.1:57052"));
    assertThat(requests.get(1).is("PUT", "/v2/keys/a___lock")).isTrue();
    assertThat(requests.get(1).is("GET", "/v2/keys/a___lock")).isFalse();
    assertThat(requests.get(0).is("GET", "/v2/members/leader")).isFalse();
  }

  @Test
  void aMissingLogHasNoRequests() {
    assertThat(LoggedRequest.readAll(dir.resolve("absent.log"))).isEmpty();
  }
}
