package dev.valkeyrie.etcdv3;

import dev.valkeyrie.etcdv3.rpc.AuthGrpc;
import dev.valkeyrie.etcdv3.rpc.AuthenticateRequest;
import dev.valkeyrie.etcdv3.rpc.AuthenticateResponse;
import dev.valkeyrie.store.StoreException;
import io.grpc.CallCredentials;
import io.grpc.CallOptions;
import io.grpc.Metadata;
import io.grpc.Status;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * User name and password through etcd's token: {@code Authenticate} once, the token sent as
 * metadata {@code token} on every call and stream after that, and a fresh token when etcd refuses
 * the one sent ("invalid auth token": it expired after {@code --auth-token-ttl} idle seconds, or
 * the cluster was rebuilt; pitfalls 32 and 33). The call layer re-authenticates at most once per
 * request.
 *
 * <p>As gRPC {@link CallCredentials}, so that fetching a token never blocks a thread: a call waits
 * for it before its stream is created (and under its own deadline), and a call whose token cannot
 * be had ends before anything of it was sent. Authenticate itself carries no token.
 *
 * <p>Neither the password nor a token ever appears in a message, a log line or {@link #toString()}.
 */
final class Auth extends CallCredentials {
  static final Metadata.Key<String> TOKEN =
      Metadata.Key.of("token", Metadata.ASCII_STRING_MARSHALLER);

  /** Where a call notes the token it was sent with, to drop exactly that one when refused. */
  static final CallOptions.Key<AtomicReference<@Nullable String>> USED =
      CallOptions.Key.create("valkeyrie-etcdv3-token");

  /** What sends the Authenticate request (the call layer, resending it like a read). */
  interface Authenticator {
    CompletableFuture<AuthenticateResponse> authenticate(AuthenticateRequest request);
  }

  private final @Nullable String username;
  private final @Nullable String password;
  private final java.util.concurrent.atomic.AtomicInteger authentications =
      new java.util.concurrent.atomic.AtomicInteger();
  private @Nullable Authenticator authenticator; // set once, before the first call
  // The current token: null until the first call needs one or after one was refused. A future
  // completing with null means "send none" (etcd said authentication is not enabled).
  private @Nullable CompletableFuture<@Nullable String> token; // guarded by this

  Auth(@Nullable String username, @Nullable String password) {
    this.username = username;
    this.password = password;
  }

  void authenticateWith(Authenticator authenticator) {
    this.authenticator = authenticator;
  }

  /** Whether the store has credentials to send. */
  boolean hasCredentials() {
    return username != null;
  }

  @Nullable String username() {
    return username;
  }

  @Override
  public void applyRequestMetadata(
      RequestInfo info, Executor appExecutor, MetadataApplier applier) {
    if (username == null || info.getMethodDescriptor() == AuthGrpc.getAuthenticateMethod()) {
      applier.apply(new Metadata());
      return;
    }
    AtomicReference<@Nullable String> used = info.getCallOptions().getOption(USED);
    var unused =
        current()
            .whenComplete(
                (token, failure) -> {
                  if (failure != null) {
                    applier.fail(
                        Status.UNAUTHENTICATED
                            .withDescription(
                                "valkeyrie: could not authenticate as '" + username + "'")
                            .withCause(unwrap(failure)));
                    return;
                  }
                  Metadata metadata = new Metadata();
                  if (token != null) {
                    metadata.put(TOKEN, token);
                  }
                  if (used != null) {
                    used.set(token);
                  }
                  applier.apply(metadata);
                });
  }

  /** The failure of our own authentication behind a call's status, or {@code null}. */
  static @Nullable StoreException authenticationFailure(Status status) {
    return status.getCode() == Status.Code.UNAUTHENTICATED
            && status.getCause() instanceof StoreException e
        ? e
        : null;
  }

  /** Whether etcd refused the token a call carried (expired, or from another cluster). */
  static boolean isTokenRefused(Status status) {
    String description = status.getDescription();
    return status.getCode() == Status.Code.UNAUTHENTICATED
        && status.getCause() == null
        && description != null
        && description.contains("invalid auth token");
  }

  /** Whether etcd wanted a token and the call carried none ("user name is empty"). */
  static boolean isTokenMissing(Status status) {
    String description = status.getDescription();
    return status.getCode() == Status.Code.INVALID_ARGUMENT
        && description != null
        && description.contains("user name is empty");
  }

  /**
   * etcd refused {@code used} (or wanted a token where none was sent): the next call authenticates
   * anew, unless another call already did.
   */
  synchronized void refused(@Nullable String used) {
    CompletableFuture<@Nullable String> current = token;
    if (current != null
        && current.isDone()
        && !current.isCompletedExceptionally()
        && Objects.equals(current.getNow(null), used)) {
      token = null;
    }
  }

  private synchronized CompletableFuture<@Nullable String> current() {
    CompletableFuture<@Nullable String> current = token;
    if (current == null || current.isCompletedExceptionally()) {
      current = authenticate();
      token = current;
    }
    return current;
  }

  /** How many times this store authenticated (for tests). */
  int authentications() {
    return authentications.get();
  }

  private CompletableFuture<@Nullable String> authenticate() {
    authentications.incrementAndGet();
    Authenticator sender = Objects.requireNonNull(authenticator, "authenticator");
    AuthenticateRequest request =
        AuthenticateRequest.newBuilder()
            .setName(Objects.requireNonNull(username))
            .setPassword(password == null ? "" : password)
            .build();
    return sender.authenticate(request).handle(Auth::tokenOrNone);
  }

  private static @Nullable String tokenOrNone(
      @Nullable AuthenticateResponse response, @Nullable Throwable failure) {
    if (failure != null) {
      Throwable cause = unwrap(failure);
      if (cause instanceof NotEnabledException) {
        return null; // etcd has no authentication on: send no token
      }
      throw cause instanceof RuntimeException r ? r : new StoreException(cause.toString(), cause);
    }
    return Objects.requireNonNull(response).getToken();
  }

  static Throwable unwrap(Throwable failure) {
    return Errors.unwrap(failure);
  }

  /** Authenticate answered FAILED_PRECONDITION "authentication is not enabled". */
  static final class NotEnabledException extends StoreException {
    private static final long serialVersionUID = 1L;

    NotEnabledException(String message) {
      super(message);
    }
  }

  @Override
  public String toString() {
    return "Auth[user=" + username + "]";
  }
}
