package dev.valkeyrie.etcdv2.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.valkeyrie.etcdv2.EtcdV2Config;
import dev.valkeyrie.store.AccessDeniedException;
import dev.valkeyrie.store.InvalidKeyException;
import dev.valkeyrie.store.KeyExistsException;
import dev.valkeyrie.store.KeyModifiedException;
import dev.valkeyrie.store.KeyNotFoundException;
import dev.valkeyrie.store.KeyTypeException;
import dev.valkeyrie.store.StoreException;
import dev.valkeyrie.store.StoreUnavailableException;
import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ErrorsTest {

  private static final String ENDPOINT = "http://10.0.0.7:2379";

  private static EtcdError etcdError(int code, String message) {
    return new EtcdError(400, code, message, "/app/x", 12);
  }

  private static StoreException mapped(int code, String message) {
    return Errors.of(etcdError(code, message), "put", "app/x", null);
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
    assertThat(Errors.of(etcdError(100, "Key not found"), "atomicDelete", "app/x", null))
        .isInstanceOf(KeyNotFoundException.class)
        .hasMessageContaining("atomicDelete");
  }

  @Test
  void keyTypeMessagesTellTheThreeCasesApart() {
    assertThat(mapped(102, "Not a file")).isInstanceOf(KeyTypeException.class)
        .hasMessageContaining("is a directory");
    assertThat(mapped(104, "Not a directory")).isInstanceOf(KeyTypeException.class)
        .hasMessageContaining("parent");
    assertThat(mapped(108, "Directory not empty")).isInstanceOf(KeyTypeException.class)
        .hasMessageContaining("deleteTree");
  }

  @Test
  void accessDeniedNamesTheUser() {
    StoreException e = Errors.of(etcdError(110, "The request requires user authentication"),
        "get", "app/x", "alice");

    assertThat(e).isInstanceOf(AccessDeniedException.class)
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

    StoreException e = Errors.of(etcdError(110, "Insufficient credentials"), "get", "app/x",
        config.username());

    assertThat(e).hasMessageContaining("alice").hasMessageNotContaining("s3cret!");
  }

  @Test
  void unavailableClusterSaysAWriteMayHaveBeenApplied() {
    assertThat(mapped(300, "Raft Internal Error"))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("may or may not have been applied");
  }

  // ---- transport failures ----

  @Test
  void timeoutIsUnavailableNamingTheEndpoint() {
    TimeoutException timeout = new TimeoutException();

    StoreException e = Errors.transport(timeout, "get", "app/x", ENDPOINT);

    assertThat(e).isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining(ENDPOINT)
        .hasMessageContaining("app/x")
        .hasCause(timeout);
  }

  @Test
  void refusedConnectionIsUnavailableNamingTheEndpoint() {
    ConnectException refused = new ConnectException("Connection refused");

    StoreException e = Errors.transport(refused, "put", "app/x", ENDPOINT);

    assertThat(e).isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining(ENDPOINT)
        .hasMessageContaining("Connection refused")
        .hasCause(refused);
  }

  @Test
  void ioFailureIsUnavailableNamingTheEndpoint() {
    IOException reset = new IOException("Connection reset by peer");

    StoreException e = Errors.transport(reset, "put", "app/x", ENDPOINT);

    assertThat(e).isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining(ENDPOINT)
        .hasCause(reset);
  }

  @Test
  void failureWrappedInCompletionExceptionIsUnwrapped() {
    ConnectException refused = new ConnectException("Connection refused");

    StoreException e =
        Errors.transport(new CompletionException(refused), "get", "app/x", ENDPOINT);

    assertThat(e).isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining(ENDPOINT)
        .hasCause(refused);
  }

  @Test
  void failureWrappedInExecutionExceptionIsUnwrapped() {
    TimeoutException timeout = new TimeoutException();

    StoreException e = Errors.transport(
        new ExecutionException(new CompletionException(timeout)), "get", "app/x", ENDPOINT);

    assertThat(e).isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining(ENDPOINT)
        .hasCause(timeout);
  }

  @Test
  void storeExceptionPassesThroughUnchanged() {
    KeyNotFoundException original = new KeyNotFoundException("key 'x' not found");

    assertThat(Errors.transport(new CompletionException(original), "get", "x", ENDPOINT))
        .isSameAs(original);
  }

  @Test
  void cancellationIsUnavailable() {
    assertThat(Errors.transport(new CancellationException(), "get", "x", ENDPOINT))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("cancelled");
  }

  @Test
  void unexpectedFailureIsAPlainStoreExceptionNamingTheEndpoint() {
    IllegalStateException odd = new IllegalStateException("odd");

    assertThat(Errors.transport(odd, "get", "x", ENDPOINT))
        .isExactlyInstanceOf(StoreException.class)
        .hasMessageContaining(ENDPOINT)
        .hasCause(odd);
  }

  @Test
  void unwrapStopsAtAWrapperWithoutCause() {
    CompletionException empty = new CompletionException("no cause", null);

    assertThat(Errors.unwrap(empty)).isSameAs(empty);
  }
}
