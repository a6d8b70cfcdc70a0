package dev.valkeyrie.etcdv2;

import dev.valkeyrie.etcdv2.migration.EventIndexClearedException;
import dev.valkeyrie.etcdv2.migration.V2Event;
import dev.valkeyrie.etcdv2.migration.V2Node;
import dev.valkeyrie.etcdv2.migration.V2Reader;
import dev.valkeyrie.etcdv2.migration.V2Snapshot;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/** {@link V2Reader} on a store's own clients: the migration's view of the v2 tree. */
final class RawReads implements V2Reader {
  private final StoreContext context;

  RawReads(StoreContext context) {
    this.context = context;
  }

  @Override
  public V2Snapshot snapshot(String directory, Duration timeout) {
    context.resources().checkOpen();
    KeyPath path = KeyPath.directory(directory);
    KeysRequest request =
        KeysRequest.get(
            "migration snapshot", path, Query.of().flag("recursive").flag("sorted").flag("quorum"));
    KeysClient.Reply reply = context.client().call(request, timeout);
    if (reply.isError(EtcdError.KEY_NOT_FOUND)) {
      return new V2Snapshot(reply.error().index(), null);
    }
    if (reply.error() != null) {
      throw context.client().failure(request, reply.error());
    }
    return new V2Snapshot(reply.response().etcdIndex(), node(reply.response().node()));
  }

  @Override
  public CompletableFuture<Optional<V2Event>> next(
      String directory, long waitIndex, Duration idle) {
    context.resources().checkOpen();
    KeyPath path = KeyPath.directory(directory);
    KeysRequest request = KeysRequest.poll("migration follow", path, true, waitIndex);
    CompletableFuture<KeysClient.Reply> poll = context.watchClient().send(request, idle);
    CompletableFuture<Optional<V2Event>> result =
        poll.handle(
            (reply, failure) -> {
              if (failure != null) {
                Throwable cause = Errors.unwrap(failure);
                if (cause instanceof KeysClient.IdlePollException) {
                  return Optional.<V2Event>empty();
                }
                throw cause instanceof RuntimeException r
                    ? r
                    : new dev.valkeyrie.store.StoreException(Errors.describe(cause), cause);
              }
              if (reply.isError(EtcdError.EVENT_INDEX_CLEARED)) {
                throw new EventIndexClearedException(
                    "index "
                        + waitIndex
                        + " of '"
                        + path.key()
                        + "' left etcd's history: "
                        + reply.error().describe(),
                    waitIndex);
              }
              if (reply.error() != null) {
                throw context.client().failure(request, reply.error());
              }
              EtcdResponse event = reply.response();
              return Optional.of(new V2Event(event.action(), node(event.node())));
            });
    var unused =
        result.whenComplete(
            (r, e) -> {
              if (result.isCancelled()) {
                poll.cancel(true);
              }
            });
    return result;
  }

  private static V2Node node(EtcdNode node) {
    List<V2Node> children = new ArrayList<>(node.nodes().size());
    for (EtcdNode child : node.nodes()) {
      children.add(node(child));
    }
    return new V2Node(
        node.key() == null ? "" : node.normalizedKey(),
        bytes(node.value()),
        node.dir(),
        node.ttl(),
        node.createdIndex(),
        node.modifiedIndex(),
        children);
  }

  private static byte @Nullable [] bytes(@Nullable String value) {
    return value == null ? null : value.getBytes(StandardCharsets.UTF_8);
  }
}
