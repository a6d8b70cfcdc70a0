package dev.valkeyrie.etcdv3;

import io.grpc.stub.ClientCallStreamObserver;
import java.net.URI;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * The sending side of a bidirectional stream to one member, opened by {@link CallLayer#openStream}.
 * Thread-safe: sends are serialized. Responses go to the observer given when it was opened.
 *
 * @param <Q> the request type
 */
final class MemberStream<Q> {
  private final URI member;
  private final ClientCallStreamObserver<Q> requests;
  private final AtomicReference<@Nullable String> usedToken;
  private boolean ended; // guarded by this

  MemberStream(
      URI member,
      ClientCallStreamObserver<Q> requests,
      AtomicReference<@Nullable String> usedToken) {
    this.member = member;
    this.requests = requests;
    this.usedToken = usedToken;
  }

  /** The member the stream goes to. */
  URI member() {
    return member;
  }

  /** Sends one request; does nothing once the stream was cancelled or half-closed. */
  synchronized void send(Q request) {
    if (!ended) {
      requests.onNext(request);
    }
  }

  /**
   * Ends the stream from this side: gRPC cancels the call, and the observer hears {@code
   * onError(CANCELLED)}. Idempotent. etcd does not end a watch stream on a half-close, so this is
   * how streams are ended.
   */
  synchronized void cancel(String reason) {
    if (!ended) {
      ended = true;
      requests.cancel(reason, null);
    }
  }

  /** Whether the stream can send again: false once {@link #cancel} was called. */
  synchronized boolean isOpen() {
    return !ended;
  }

  /** The token the stream was opened with, for {@link CallLayer#tokenRefused}. */
  @Nullable String usedToken() {
    return usedToken.get();
  }

  @Override
  public String toString() {
    return "MemberStream[" + member + "]";
  }
}
