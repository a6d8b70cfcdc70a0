package dev.valkeyrie.etcdv3;

import io.grpc.Attributes;
import io.grpc.ClientStreamTracer;
import io.grpc.Metadata;

/**
 * Tells whether a call may have been sent: gRPC creates a stream on a real connection (and calls
 * {@link ClientStreamTracer#streamCreated}) before the first byte of the call is written. A call
 * that ended before that (no connection, connection refused, still connecting at its deadline,
 * cancelled while waiting, credentials that could not be applied) sent nothing, so a write that
 * ended so was certainly not applied and may go to another member. One instance per attempt.
 *
 * <p>The signal is conservative: a stream created but refused before its headers went out counts as
 * possibly sent (its write's outcome is then reported unknown), never the other way round.
 */
final class SentTracer extends ClientStreamTracer.Factory {
  private volatile boolean created;

  @Override
  public ClientStreamTracer newClientStreamTracer(
      ClientStreamTracer.StreamInfo info, Metadata headers) {
    return new ClientStreamTracer() {
      @Override
      public void streamCreated(Attributes transportAttrs, Metadata headers) {
        created = true;
      }
    };
  }

  /** Whether a stream was created on a connection: then bytes of the call may have gone out. */
  boolean mayHaveBeenSent() {
    return created;
  }
}
