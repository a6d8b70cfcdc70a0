package dev.valkeyrie.etcdv2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.valkeyrie.store.AccessDeniedException;
import dev.valkeyrie.store.KeyNotFoundException;
import dev.valkeyrie.store.KeyTypeException;
import dev.valkeyrie.store.StoreException;
import dev.valkeyrie.store.StoreUnavailableException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ErrorsTest {

  private static final String ENDPOINT = "http://10.0.0.7:2379";

  private static EtcdError etcdError(int code, String message) {
    return new EtcdError(400, code, message, "/app/x", 12);
  }

  private static StoreException mapped(int code, String message) {
    return Errors.of(etcdError(code, message), "put", "app/x", null, true);
  }

  // ---- etcd error codes ----

  @ParameterizedTest(name = "etcd error {0} -> {1}")
  @CsvSource({
    "100, dev.valkeyrie.store.KeyNotFoundException",
    "101, dev.valkeyrie.store.KeyModifiedException",
    "102, dev.valkeyrie.store.KeyTypeException",
    "104, dev.valkeyrie.store.KeyTypeException",
    "105, dev.valkeyrie.store.KeyExistsException",
    "107, dev.valkeyrie.store.InvalidKeyException",
    "108, dev.valkeyrie.store.KeyTypeException",
    "110, dev.valkeyrie.store.AccessDeniedException",
    "300, dev.valkeyrie.store.StoreUnavailableException",
    "301, dev.valkeyrie.store.StoreUnavailableException",
  })
  void eachEtcdCodeMapsToItsException(int code, Class<?> expected) {
    assertThat(mapped(code, "etcd says so")).isExactlyInstanceOf(expected);
  }

  @ParameterizedTest
  @CsvSource({"106", "200", "209", "400", "401", "999"})
  void otherCodesMapToAPlainStoreException(int code) {
    assertThat(mapped(code, "something else")).isExactlyInstanceOf(StoreException.class);
  }

  @ParameterizedTest
  @CsvSource({"100", "101", "102", "104", "105", "107", "108", "110", "300", "403"})
  void messageContainsTheKeyAndEtcdsMessage(int code) {
    StoreException e = mapped(code, "Etcd Own Words");

    assertThat(e).hasMessageContaining("app/x").hasMessageContaining("Etcd Own Words");
  }

  @Test
  void messageContainsTheOperation() {
    assertThat(Errors.of(etcdError(100, "Key not found"), "atomicDelete", "app/x", null, true))
        .isInstanceOf(KeyNotFoundException.class)
        .hasMessageContaining("atomicDelete");
  }

  @Test
  void keyTypeMessagesTellTheThreeCasesApart() {
    assertThat(mapped(102, "Not a file"))
        .isInstanceOf(KeyTypeException.class)
        .hasMessageContaining("is a directory");
    assertThat(mapped(104, "Not a directory"))
        .isInstanceOf(KeyTypeException.class)
        .hasMessageContaining("parent");
    assertThat(mapped(108, "Directory not empty"))
        .isInstanceOf(KeyTypeException.class)
        .hasMessageContaining("deleteTree");
  }

  @Test
  void accessDeniedNamesTheUser() {
    StoreException e =
        Errors.of(
            etcdError(110, "The request requires user authentication"),
            "get",
            "app/x",
            "alice",
            false);

    assertThat(e)
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("user 'alice'")
        .hasMessageContaining("The request requires user authentication");
  }

  @Test
  void accessDeniedWithoutUserSaysAnonymous() {
    assertThat(mapped(110, "Insufficient credentials"))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("anonymous");
  }

  @Test
  void accessDeniedNeverShowsThePassword() {
    EtcdV2Config config = EtcdV2Config.builder().username("alice").password("s3cret!").build();

    StoreException e =
        Errors.of(
            etcdError(110, "Insufficient credentials"), "get", "app/x", config.username(), false);

    assertThat(e).hasMessageContaining("alice").hasMessageNotContaining("s3cret!");
  }

  @Test
  void unavailableClusterSaysAWriteMayHaveBeenApplied() {
    StoreException e = mapped(300, "Raft Internal Error");

    assertThat(e)
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("the outcome is unknown: etcd may have applied the write");
    assertThat(((StoreUnavailableException) e).outcomeUnknown()).isTrue();
  }

  @Test
  void unavailableClusterOnAReadHasNoOutcomeToSpeakOf() {
    StoreException e =
        Errors.of(etcdError(300, "Raft Internal Error"), "get", "app/x", null, false);

    assertThat(e).isInstanceOf(StoreUnavailableException.class);
    assertThat(((StoreUnavailableException) e).outcomeUnknown()).isFalse();
  }

  // ---- exchanges without an answer ----

  private static final URI MEMBER = URI.create(ENDPOINT);

  @Test
  void timeoutIsUnavailableNamingTheEndpoint() {
    NoAnswerException timeout = new NoAnswerException("GET", null, true);

    StoreException e = Errors.noAnswer(timeout, "get", "app/x", MEMBER, false);

    assertThat(e)
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining(ENDPOINT)
        .hasMessageContaining("app/x")
        .hasMessageContaining("did not answer in time")
        .hasCause(timeout);
  }

  @Test
  void refusedConnectionIsUnavailableNamingTheEndpoint() {
    ConnectException refused = new ConnectException("Connection refused");
    NothingSentException failure = new NothingSentException("PUT", refused, false);

    StoreException e = Errors.noAnswer(failure, "put", "app/x", MEMBER, true);

    assertThat(e)
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining(ENDPOINT)
        .hasMessageContaining("Connection refused")
        .hasCause(failure)
        .hasRootCause(refused);
  }

  @Test
  void ioFailureIsUnavailableNamingTheEndpoint() {
    IOException reset = new IOException("Connection reset by peer");
    NoAnswerException failure = new NoAnswerException("PUT", reset, false);

    StoreException e = Errors.noAnswer(failure, "put", "app/x", MEMBER, true);

    assertThat(e)
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining(ENDPOINT)
        .hasMessageContaining("Connection reset by peer")
        .hasRootCause(reset);
  }

  @Test
  void writeThatMayHaveBeenSentHasAnUnknownOutcome() {
    StoreUnavailableException e =
        Errors.noAnswer(new NoAnswerException("PUT", null, true), "put", "app/x", MEMBER, true);

    assertThat(e.outcomeUnknown()).isTrue();
    assertThat(e).hasMessageContaining("the outcome is unknown");
  }

  @Test
  void writeThatWasNeverSentWasNotApplied() {
    StoreUnavailableException e =
        Errors.noAnswer(
            new NothingSentException("PUT", new ConnectException("refused"), false),
            "put",
            "app/x",
            MEMBER,
            true);

    assertThat(e.outcomeUnknown()).isFalse();
    assertThat(e).hasMessageContaining("not applied");
  }

  @Test
  void failedReadHasNoOutcomeToSpeakOf() {
    StoreUnavailableException e =
        Errors.noAnswer(new NoAnswerException("GET", null, true), "get", "app/x", MEMBER, false);

    assertThat(e.outcomeUnknown()).isFalse();
    assertThat(e.getMessage()).doesNotContain("outcome");
  }

  @Test
  void interruptedWriteThatMayHaveBeenSentHasAnUnknownOutcome() {
    StoreUnavailableException e =
        Errors.interrupted(new NoAnswerException("PUT", null, false), "put", "app/x", MEMBER, true);

    assertThat(e.outcomeUnknown()).isTrue();
    assertThat(e).hasMessageContaining("interrupted").hasMessageContaining("app/x");
  }

  @Test
  void failureDescriptionHasTheKindAndMessageOnly() {
    assertThat(Errors.describe(new ConnectException("Connection refused")))
        .isEqualTo("ConnectException: Connection refused");
    assertThat(Errors.describe(null)).isEqualTo("no detail");
  }

  @Test
  void unwrapStopsAtAWrapperWithoutCause() {
    CompletionException empty = new CompletionException("no cause", null);

    assertThat(Errors.unwrap(empty)).isSameAs(empty);
  }
}
