package dev.valkeyrie.etcdv2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.valkeyrie.store.InvalidConfigurationException;
import dev.valkeyrie.testsuite.time.ManualClock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EndpointsTest {

  private static final ManualClock CLOCK = new ManualClock();
  private static final URI A = URI.create("http://a:1");
  private static final URI B = URI.create("http://b:2");
  private static final URI C = URI.create("http://c:3");

  private static Endpoints plain(String... endpoints) {
    return Endpoints.parse(List.of(endpoints), false, CLOCK);
  }

  private static Endpoints threeMembers() {
    return plain("a:1", "b:2", "c:3");
  }

  // ---- parsing ----

  @Test
  void hostAndPortBecomesAnHttpUrl() {
    assertThat(plain("127.0.0.1:2379").all()).containsExactly(URI.create("http://127.0.0.1:2379"));
  }

  @Test
  void hostAndPortBecomesAnHttpsUrlWithTls() {
    assertThat(Endpoints.parse(List.of("127.0.0.1:2379"), true, CLOCK).all())
        .containsExactly(URI.create("https://127.0.0.1:2379"));
  }

  @Test
  void fullHttpUrlIsAccepted() {
    assertThat(plain("http://etcd.example:2379").all())
        .containsExactly(URI.create("http://etcd.example:2379"));
  }

  @Test
  void fullHttpsUrlIsAcceptedWithTls() {
    assertThat(Endpoints.parse(List.of("https://etcd.example:2379"), true, CLOCK).all())
        .containsExactly(URI.create("https://etcd.example:2379"));
  }

  @Test
  void ipv6LiteralIsAccepted() {
    assertThat(plain("[::1]:2379").all()).containsExactly(URI.create("http://[::1]:2379"));
  }

  @Test
  void trailingSlashAndSurroundingSpacesAreDropped() {
    assertThat(plain("  http://h:1/  ").all()).containsExactly(URI.create("http://h:1"));
  }

  @Test
  void orderIsKept() {
    assertThat(threeMembers().all()).containsExactly(A, B, C);
  }

  @Test
  void duplicatesAreRemoved() {
    Endpoints endpoints = plain("a:1", "http://a:1", "b:2", "http://a:1/");

    assertThat(endpoints.all()).containsExactly(A, B);
    assertThat(endpoints.size()).isEqualTo(2);
  }

  @Test
  void nullListIsRejected() {
    assertThatThrownBy(() -> Endpoints.parse(null, false, CLOCK))
        .isInstanceOf(InvalidConfigurationException.class);
  }

  @Test
  void emptyListIsRejected() {
    assertThatThrownBy(() -> Endpoints.parse(List.of(), false, CLOCK))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("no etcd endpoints");
  }

  @Test
  void nullEndpointIsRejected() {
    assertThatThrownBy(() -> Endpoints.parse(Arrays.asList("a:1", null), false, CLOCK))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("null");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   "})
  void blankEndpointIsRejected(String endpoint) {
    assertThatThrownBy(() -> plain(endpoint))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("blank");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ftp://x:1", // not http(s)
        "127.0.0.1", // no port
        "http://h", // no port
        "h:", // empty port
        "http://h:0", // port 0
        "http://h:1/v2", // a path
        "http://h:1?x=y", // a query
        "http://:2379", // no host
        "http://h:1 2", // not a URI
      })
  void unusableEndpointIsRejectedNamingIt(String endpoint) {
    assertThatThrownBy(() -> plain(endpoint))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("'" + endpoint + "'");
  }

  @Test
  void httpsWithoutTlsIsRejected() {
    assertThatThrownBy(() -> plain("https://h:1"))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("'https://h:1'")
        .hasMessageContaining("TLS");
  }

  @Test
  void oneBadEndpointRejectsTheWholeList() {
    assertThatThrownBy(() -> plain("a:1", "ftp://b:2"))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("ftp://b:2");
  }

  @Test
  void portAbove65535IsRejected() {
    assertThatThrownBy(() -> plain("127.0.0.1:99999"))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("127.0.0.1:99999");
  }

  @Test
  void credentialsInAnEndpointUrlAreRejectedWithoutEchoingThePassword() {
    assertThatThrownBy(() -> plain("http://alice:s3cret@127.0.0.1:2379"))
        .isInstanceOf(InvalidConfigurationException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "alice:SECRET@127.0.0.1:2379", // no scheme
        "http://alice:SECRET x@127.0.0.1:2379", // not a URI at all
        "https://alice:SECRET@127.0.0.1:2379", // https without TLS configured
        "ftp://alice:SECRET@127.0.0.1:2379", // a scheme that is refused
        "http://alice:SECRET@127.0.0.1:2379/v2" // a path
      })
  void credentialsInAnyEndpointAppearNowhereInTheFailure(String endpoint) {
    Throwable failure = catchThrowable(() -> plain(endpoint));

    assertThat(failure)
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("127.0.0.1:2379");
    for (Throwable t = failure; t != null; t = t.getCause()) {
      assertThat(t.getMessage()).doesNotContain("SECRET");
      assertThat(t.toString()).doesNotContain("SECRET");
      StringWriter trace = new StringWriter();
      t.printStackTrace(new PrintWriter(trace));
      assertThat(trace.toString()).doesNotContain("SECRET");
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "alice:s3cret@h:1               | ****@h:1",
        "http://alice:s3cret@h:1        | http://****@h:1",
        "http://a@b:c@h:1/x?y=z         | http://****@h:1/x?y=z",
        "http://h:1/a@b                 | http://h:1/a@b",
        "h:1                            | h:1",
      })
  void redactionMasksWhatStandsBeforeTheAtSignOfTheAuthority(String endpoint, String shown) {
    assertThat(Endpoints.redacted(endpoint)).isEqualTo(shown);
  }

  // ---- preference and rotation ----

  @Test
  void theFirstEndpointIsPreferredAtFirst() {
    assertThat(threeMembers().preferred()).isEqualTo(A);
  }

  @Test
  void failedPreferredEndpointHandsPreferenceToTheNext() {
    Endpoints endpoints = threeMembers();

    endpoints.failed(A);

    assertThat(endpoints.preferred()).isEqualTo(B);
  }

  @Test
  void preferenceWrapsAroundAfterTheLastEndpoint() {
    Endpoints endpoints = threeMembers();

    endpoints.failed(A);
    endpoints.failed(B);
    endpoints.failed(C);

    assertThat(endpoints.preferred()).isEqualTo(A);
  }

  @Test
  void failingANonPreferredEndpointChangesNothing() {
    Endpoints endpoints = threeMembers();

    endpoints.failed(C);
    endpoints.failed(B);

    assertThat(endpoints.preferred()).isEqualTo(A);
  }

  @Test
  void failingAnUnknownEndpointChangesNothing() {
    Endpoints endpoints = threeMembers();

    endpoints.failed(URI.create("http://elsewhere:9"));

    assertThat(endpoints.preferred()).isEqualTo(A);
  }

  @Test
  void aSingleEndpointStaysPreferredAfterFailing() {
    Endpoints endpoints = plain("a:1");

    endpoints.failed(A);

    assertThat(endpoints.preferred()).isEqualTo(A);
  }

  @Test
  void afterGivesTheNextEndpointWrappingAround() {
    Endpoints endpoints = threeMembers();

    assertThat(endpoints.after(A)).isEqualTo(B);
    assertThat(endpoints.after(B)).isEqualTo(C);
    assertThat(endpoints.after(C)).isEqualTo(A);
  }

  @Test
  void afterDoesNotChangeThePreference() {
    Endpoints endpoints = threeMembers();

    endpoints.after(A);

    assertThat(endpoints.preferred()).isEqualTo(A);
  }

  @Test
  void allIsUnmodifiable() {
    assertThatThrownBy(() -> threeMembers().all().add(A))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void toStringListsTheEndpoints() {
    assertThat(threeMembers().toString()).isEqualTo("[http://a:1, http://b:2, http://c:3]");
  }

  @Test
  void aFailedMemberIsPassedOverForFiveSecondsThenTriedAgain() {
    ManualClock clock = new ManualClock();
    Endpoints endpoints = Endpoints.parse(List.of("a:1", "b:2", "c:3"), false, clock);

    endpoints.failed(A);
    clock.advance(java.time.Duration.ofMillis(4_999));
    assertThat(endpoints.after(C)).isEqualTo(B);

    clock.advance(java.time.Duration.ofMillis(1));
    assertThat(endpoints.after(C)).isEqualTo(A);
  }
}
