package dev.valkeyrie.etcdv3;

import com.google.protobuf.ByteString;
import dev.valkeyrie.etcdv3.rpc.KVGrpc;
import dev.valkeyrie.etcdv3.rpc.RangeRequest;
import dev.valkeyrie.etcdv3.rpc.RangeResponse;
import dev.valkeyrie.etcdv3.rpc.mvcc.KeyValue;
import dev.valkeyrie.store.StoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The reads a watch starts from and re-reads after a compaction: one key, or a directory's entries
 * {@code [d/, d0)} (never the raw prefix {@code d}, which also matches {@code dx}), in pages of
 * {@link #PAGE} keys all read at the first page's revision. The read's revision is where the watch
 * continues: from revision + 1.
 *
 * <p>The first reads block the caller (a missing key must fail the call); re-reads are asynchronous
 * and linearizable, so that their revision is at least any revision the watch has already seen.
 */
final class WatchReads {
  /** Keys per page; halved when a page is larger than the inbound message limit. */
  static final int PAGE = 512;

  private static final int MAX_RESTARTS = 3;
  private static final ByteString ZERO = ByteString.copyFrom(new byte[] {0});

  /**
   * What a read found.
   *
   * @param revision the store revision it read at
   * @param kvs the key (at most one) or the directory's entries, in etcd's order, lock side keys
   *     included
   * @param exists whether the key or directory exists (a directory: its key, or an entry below)
   */
  record Read(long revision, List<KeyValue> kvs, boolean exists) {}

  private final CallLayer calls;

  WatchReads(CallLayer calls) {
    this.calls = calls;
  }

  // --- one key ---

  /** Reads {@code key} in the calling thread. */
  Read key(Key key, boolean serializable, Op op) {
    RangeResponse response = calls.call(KVGrpc.getRangeMethod(), keyRequest(key, serializable), op);
    return keyRead(response);
  }

  /** Reads {@code key} again, linearizably, without blocking. */
  CompletableFuture<Read> keyAgain(Key key, Op op) {
    return calls
        .send(KVGrpc.getRangeMethod(), keyRequest(key, false), op)
        .thenApply(WatchReads::keyRead);
  }

  private static RangeRequest keyRequest(Key key, boolean serializable) {
    return RangeRequest.newBuilder().setKey(key.bytes()).setSerializable(serializable).build();
  }

  private static Read keyRead(RangeResponse response) {
    return new Read(
        response.getHeader().getRevision(), response.getKvsList(), response.getKvsCount() > 0);
  }

  // --- a directory ---

  /**
   * Reads the entries of {@code dir} in the calling thread, and whether it exists (its key, or an
   * entry below it; the root always exists).
   */
  Read tree(Key dir, boolean serializable, Op op) {
    for (int restart = 0; ; restart++) {
      try {
        return treeOnce(dir, serializable, op);
      } catch (StoreException e) {
        if (restart >= MAX_RESTARTS || !compacted(e)) {
          throw e;
        }
      }
    }
  }

  private Read treeOnce(Key dir, boolean serializable, Op op) {
    int page = PAGE;
    List<KeyValue> found = new ArrayList<>();
    long revision;
    boolean more;
    while (true) {
      try {
        // The entries first, alone (as list reads them): a user whose permissions cover the
        // prefix d/ but not the key d can watch d. The key d is read only when there are none.
        RangeResponse response =
            calls.call(KVGrpc.getRangeMethod(), firstPage(dir, page, serializable), op);
        found.addAll(response.getKvsList());
        revision = response.getHeader().getRevision();
        more = response.getMore();
        break;
      } catch (StoreException e) {
        page = smallerPage(page, e);
      }
    }
    if (found.isEmpty() && !dir.isRoot()) {
      RangeResponse self =
          calls.call(
              KVGrpc.getRangeMethod(),
              RangeRequest.newBuilder()
                  .setKey(dir.bytes())
                  .setCountOnly(true)
                  .setSerializable(serializable)
                  .build(),
              op);
      return new Read(revision, List.of(), self.getCount() > 0);
    }
    while (more) {
      try {
        RangeResponse response =
            calls.call(
                KVGrpc.getRangeMethod(), nextPage(dir, found, page, revision, serializable), op);
        found.addAll(response.getKvsList());
        more = response.getMore() && response.getKvsCount() > 0;
      } catch (StoreException e) {
        page = smallerPage(page, e);
      }
    }
    return new Read(revision, found, true);
  }

  /** Reads the entries of {@code dir} again, linearizably, without blocking. */
  CompletableFuture<Read> treeAgain(Key dir, Op op) {
    TreePages pages = new TreePages(dir, op);
    pages.first();
    return pages.result;
  }

  /** One asynchronous paged read; each page is sent when the previous one answered. */
  private final class TreePages {
    private final Key dir;
    private final Op op;
    final CompletableFuture<Read> result = new CompletableFuture<>();
    private final List<KeyValue> found = new ArrayList<>();
    private int page = PAGE;
    private int restarts;
    private long revision;

    TreePages(Key dir, Op op) {
      this.dir = dir;
      this.op = op;
    }

    void first() {
      found.clear();
      var unused =
          calls
              .send(KVGrpc.getRangeMethod(), firstPage(dir, page, false), op)
              .whenComplete(
                  (response, failure) -> {
                    if (failure != null) {
                      retry(failure, this::first);
                      return;
                    }
                    revision = response.getHeader().getRevision();
                    found.addAll(response.getKvsList());
                    continueOrEnd(response);
                  });
    }

    private void next() {
      var unused =
          calls
              .send(KVGrpc.getRangeMethod(), nextPage(dir, found, page, revision, false), op)
              .whenComplete(
                  (response, failure) -> {
                    if (failure != null) {
                      retry(failure, this::next);
                      return;
                    }
                    found.addAll(response.getKvsList());
                    continueOrEnd(response);
                  });
    }

    private void continueOrEnd(RangeResponse response) {
      if (response.getMore() && response.getKvsCount() > 0) {
        next();
      } else {
        result.complete(new Read(revision, List.copyOf(found), true));
      }
    }

    private void retry(Throwable failure, Runnable step) {
      Throwable cause = Errors.unwrap(failure);
      if (cause instanceof StoreException e) {
        if (compacted(e) && restarts < MAX_RESTARTS) {
          restarts++;
          first();
          return;
        }
        if (tooLarge(e) && page > 1) {
          page /= 2;
          step.run();
          return;
        }
      }
      result.completeExceptionally(cause);
    }
  }

  private static RangeRequest firstPage(Key dir, int page, boolean serializable) {
    return RangeRequest.newBuilder()
        .setKey(dir.childrenStart())
        .setRangeEnd(dir.childrenEnd())
        .setLimit(page)
        .setSerializable(serializable)
        .build();
  }

  private static RangeRequest nextPage(
      Key dir, List<KeyValue> found, int page, long revision, boolean serializable) {
    ByteString after = found.get(found.size() - 1).getKey().concat(ZERO);
    return RangeRequest.newBuilder()
        .setKey(after)
        .setRangeEnd(dir.childrenEnd())
        .setLimit(page)
        .setRevision(revision)
        .setSerializable(serializable)
        .build();
  }

  /** After a failed page: a smaller page if the answer was too large, else the failure. */
  private static int smallerPage(int page, StoreException e) {
    if (page > 1 && tooLarge(e)) {
      return page / 2;
    }
    throw e;
  }

  private static boolean tooLarge(StoreException e) {
    @Nullable String message = e.getMessage();
    return message != null && message.contains("maxInboundMessageBytes");
  }

  /** A later page read at a revision compacted meanwhile: start again at a newer one. */
  static boolean compacted(StoreException e) {
    @Nullable String message = e.getMessage();
    return message != null && message.contains("compacted");
  }
}
