package dev.valkeyrie.etcdv3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.valkeyrie.store.InvalidConfigurationException;
import dev.valkeyrie.testsuite.time.ManualClock;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Endpoint parsing as for v2, and the member preference on a manual clock. */
class EndpointsTest {
  private final ManualClock clock = new ManualClock();

  @Test
  void hostPortAndUrlsAreAccepted() {
    Endpoints endpoints = Endpoints.parse(
        List.of("127.0.0.1:2379", "http://127.0.0.1:2380", " 127.0.0.1:2379 "), false, clock);
    assertThat(endpoints.all()).containsExactly(URI.create("http://127.0.0.1:2379"),
        URI.create("http://127.0.0.1:2380"));
    assertThat(Endpoints.parse(List.of("localhost:2379"), true, clock).all())
        .containsExactly(URI.create("https://localhost:2379"));
  }

  @Test
  void credentialsInAnEndpointAreRefusedAndNeverShown() {
    assertThatThrownBy(() -> Endpoints.parse(List.of("http://bob:secret@127.0.0.1:2379"), false,
        clock))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageNotContaining("secret")
        .hasMessageContaining("****@127.0.0.1:2379");
  }

  @Test
  void unusableEndpointsAreRefusedByName() {
    assertThatThrownBy(() -> Endpoints.parse(List.of("https://127.0.0.1:2379"), false, clock))
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("TLS");
    assertThatThrownBy(() -> Endpoints.parse(List.of("ftp://127.0.0.1:2379"), false, clock))
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("scheme");
    assertThatThrownBy(() -> Endpoints.parse(List.of("127.0.0.1"), false, clock))
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("port");
    assertThatThrownBy(() -> Endpoints.parse(List.of("http://127.0.0.1:1/v3"), false, clock))
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("path");
    assertThatThrownBy(() -> Endpoints.parse(List.of(), false, clock))
        .isInstanceOf(InvalidConfigurationException.class);
  }

  @Test
  void aFailedMemberIsPassedOverForAWhileThenTriedAgain() {
    Endpoints endpoints = Endpoints.parse(List.of("a:1", "b:2", "c:3"), false, clock);
    URI a = URI.create("http://a:1");
    URI b = URI.create("http://b:2");
    assertThat(endpoints.preferred()).isEqualTo(a);

    endpoints.failed(a);
    assertThat(endpoints.preferred()).isEqualTo(b);
    assertThat(endpoints.after(URI.create("http://c:3"))).isEqualTo(b); // a is passed over

    clock.advance(Endpoints.AVOID.plus(Duration.ofMillis(1)));
    assertThat(endpoints.avoided(a)).isFalse();
    assertThat(endpoints.after(URI.create("http://c:3"))).isEqualTo(a);
  }

  @Test
  void whenEveryMemberFailedThePreferredOneIsTriedAnyway() {
    Endpoints endpoints = Endpoints.parse(List.of("a:1", "b:2"), false, clock);
    endpoints.failed(URI.create("http://a:1"));
    endpoints.failed(URI.create("http://b:2"));
    assertThat(endpoints.preferred()).isIn(endpoints.all());
  }

  @Test
  void aMemberSyncKeepsThePreferredMemberAndNeverEmptiesTheList() {
    Endpoints endpoints = Endpoints.parse(List.of("a:1", "b:2"), false, clock);
    endpoints.failed(URI.create("http://a:1"));
    endpoints.replace(List.of());
    assertThat(endpoints.size()).isEqualTo(2);
    endpoints.replace(List.of(URI.create("http://c:3"), URI.create("http://b:2")));
    assertThat(endpoints.preferred()).isEqualTo(URI.create("http://b:2"));
  }

  @Test
  void memberUrlsFromEtcdAreParsedAndHttpsNeedsTls() {
    assertThat(Endpoints.member("http://127.0.0.1:2379", false))
        .contains(URI.create("http://127.0.0.1:2379"));
    assertThat(Endpoints.member("https://127.0.0.1:2379", false)).isEmpty();
    assertThat(Endpoints.member("unix://x", true)).isEmpty();
  }
}
