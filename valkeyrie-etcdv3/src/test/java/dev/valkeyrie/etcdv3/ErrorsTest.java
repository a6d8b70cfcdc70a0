package dev.valkeyrie.etcdv3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.valkeyrie.store.AccessDeniedException;
import dev.valkeyrie.store.InvalidValueException;
import dev.valkeyrie.store.KeyNotFoundException;
import dev.valkeyrie.store.StoreUnavailableException;
import io.grpc.Status;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** The one place that maps gRPC statuses and etcd's errors (the reference's table 2.5). */
class ErrorsTest {
  private static final Op PUT = Op.write("put", "a/b");
  private static final URI MEMBER = URI.create("http://127.0.0.1:2379");

  private static Status etcd(Status.Code code, String text) {
    return Status.fromCode(code).withDescription("etcdserver: " + text);
  }

  @Test
  void availabilityFailuresAreToldFromRefusalsThatDidNothing() {
    assertThat(Errors.classify(etcd(Status.Code.UNAVAILABLE, "no leader")))
        .isEqualTo(Errors.Failure.REFUSED);
    assertThat(Errors.classify(etcd(Status.Code.RESOURCE_EXHAUSTED, "too many requests")))
        .isEqualTo(Errors.Failure.REFUSED);
    assertThat(Errors.classify(etcd(Status.Code.UNAVAILABLE, "request timed out")))
        .isEqualTo(Errors.Failure.UNAVAILABLE);
    assertThat(Errors.classify(etcd(Status.Code.UNAVAILABLE, "leader changed")))
        .isEqualTo(Errors.Failure.UNAVAILABLE);
    assertThat(Errors.classify(Status.UNKNOWN.withDescription("context deadline exceeded")))
        .isEqualTo(Errors.Failure.UNAVAILABLE);
    assertThat(Errors.classify(Status.DEADLINE_EXCEEDED)).isEqualTo(Errors.Failure.UNAVAILABLE);
    assertThat(Errors.classify(etcd(Status.Code.PERMISSION_DENIED, "permission denied")))
        .isEqualTo(Errors.Failure.ANSWER);
    assertThat(Errors.classify(etcd(Status.Code.INVALID_ARGUMENT, "request is too large")))
        .isEqualTo(Errors.Failure.ANSWER);
  }

  @Test
  void answersMapToTheStoresExceptionsNamingKeyAndUser() {
    assertThat(Errors.of(etcd(Status.Code.PERMISSION_DENIED, "permission denied"), PUT, "alice"))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("a/b")
        .hasMessageContaining("alice");
    assertThat(Errors.of(etcd(Status.Code.INVALID_ARGUMENT, "user name is empty"), PUT, null))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("username and password");
    assertThat(Errors.of(etcd(Status.Code.INVALID_ARGUMENT, "request is too large"), PUT, null))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining("a/b");
    assertThat(Errors.of(etcd(Status.Code.INVALID_ARGUMENT, "key not found"), PUT, null))
        .isInstanceOf(KeyNotFoundException.class);
    assertThat(
            Errors.of(
                etcd(Status.Code.RESOURCE_EXHAUSTED, "mvcc: database space exceeded"), PUT, null))
        .hasMessageContaining("NOSPACE");
    assertThat(Errors.of(etcd(Status.Code.OUT_OF_RANGE, "too large lease TTL"), PUT, null))
        .isInstanceOf(InvalidValueException.class);
  }

  @Test
  void anUnavailableWriteSaysWhetherItMayHaveBeenApplied() {
    StoreUnavailableException unknown =
        Errors.unavailable(Status.DEADLINE_EXCEEDED, PUT, MEMBER, true);
    assertThat(unknown.outcomeUnknown()).isTrue();
    assertThat(unknown)
        .hasMessageContaining("outcome is unknown")
        .hasMessageContaining("a/b")
        .hasMessageContaining("127.0.0.1:2379");
    StoreUnavailableException notApplied =
        Errors.unavailable(etcd(Status.Code.UNAVAILABLE, "no leader"), PUT, MEMBER, false);
    assertThat(notApplied.outcomeUnknown()).isFalse();
    assertThat(notApplied).hasMessageContaining("not applied");
    assertThat(Errors.unavailable(Status.UNAVAILABLE, Op.read("get", "k"), MEMBER, false))
        .hasMessageNotContaining("applied");
  }

  @Test
  void tokenRefusalsAreRecognised() {
    assertThat(Auth.isTokenRefused(etcd(Status.Code.UNAUTHENTICATED, "invalid auth token")))
        .isTrue();
    assertThat(Auth.isTokenMissing(etcd(Status.Code.INVALID_ARGUMENT, "user name is empty")))
        .isTrue();
    assertThat(
            Auth.isTokenRefused(
                Status.UNAUTHENTICATED
                    .withDescription("valkeyrie: could not" + " authenticate")
                    .withCause(new AccessDeniedException("x"))))
        .isFalse();
  }
}
