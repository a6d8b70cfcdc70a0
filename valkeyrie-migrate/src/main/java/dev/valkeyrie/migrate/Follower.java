package dev.valkeyrie.migrate;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.valkeyrie.etcdv2.migration.EventIndexClearedException;
import dev.valkeyrie.etcdv2.migration.V2Event;
import dev.valkeyrie.etcdv2.migration.V2Reader;
import dev.valkeyrie.etcdv3.migration.V3Guard;
import dev.valkeyrie.etcdv3.migration.V3TxnResult;
import dev.valkeyrie.etcdv3.migration.V3Write;
import dev.valkeyrie.etcdv3.migration.V3Writer;
import dev.valkeyrie.store.StoreClosedException;
import dev.valkeyrie.store.StoreUnavailableException;
import dev.valkeyrie.store.spi.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Applies v2's changes to v3 in index order, from the state's index + 1, each in one transaction
 * with the state (guarded by the state's revision), so a change is applied exactly once whatever
 * stops the migration. When etcd's 1,000-event history has moved past the next index, a copy
 * reconciles v3 with a fresh snapshot and following goes on after it.
 */
final class Follower {
  private static final Duration IDLE = Duration.ofSeconds(30);
  private static final long MAX_BACKOFF_MS = 5_000;

  private final V2Reader reader;
  private final V3Writer writer;
  private final Bookkeeping books;
  private final String prefix;
  private final ProgressListener listener;
  private final Ticker ticker;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile @Nullable CompletableFuture<?> poll;

  Follower(
      V2Reader reader,
      V3Writer writer,
      Bookkeeping books,
      String prefix,
      ProgressListener listener,
      Ticker ticker) {
    this.reader = reader;
    this.writer = writer;
    this.books = books;
    this.prefix = prefix;
    this.listener = listener;
    this.ticker = ticker;
  }

  /** Ends {@link #run} after the change being applied, if any. */
  void stop() {
    stopped.countDown();
    CompletableFuture<?> current = poll;
    if (current != null) {
      current.cancel(true);
    }
  }

  private boolean isStopped() {
    return stopped.getCount() == 0;
  }

  FollowResult run(Bookkeeping.State initial, Supplier<Bookkeeping.State> reconcile) {
    long start = ticker.read();
    Bookkeeping.State state = initial;
    long next = state.index() + 1;
    long stateRevision = state.stateRevision();
    Revisions followed = state.followed();
    long applied = 0;
    long reconciliations = 0;
    long backoff = 100;
    while (!isStopped()) {
      CompletableFuture<Optional<V2Event>> current = reader.next(prefix, next, IDLE);
      poll = current;
      if (isStopped()) {
        current.cancel(true);
        break;
      }
      Optional<V2Event> event;
      try {
        event = current.get();
        backoff = 100;
      } catch (CancellationException e) {
        break;
      } catch (InterruptedException e) {
        current.cancel(true);
        Thread.currentThread().interrupt();
        break;
      } catch (ExecutionException e) {
        RuntimeException cause = Await.unwrap(e);
        if (cause instanceof EventIndexClearedException) {
          state = reconcile.get();
          next = state.index() + 1;
          stateRevision = state.stateRevision();
          followed = state.followed();
          reconciliations++;
          continue;
        }
        if (cause instanceof StoreUnavailableException
            && !(cause instanceof StoreClosedException)) {
          pause(backoff); // a read: waiting and asking again is safe
          backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
          continue;
        }
        throw cause;
      }
      if (event.isEmpty()) {
        continue;
      }
      V2Event change = event.get();
      followed.add(stateRevision);
      stateRevision = apply(change, state, stateRevision, followed);
      next = change.index() + 1;
      applied++;
      listener.onProgress(
          new Progress(
              Progress.Phase.FOLLOWING,
              applied,
              0,
              Duration.ofNanos(ticker.read() - start),
              change.index()));
    }
    return new FollowResult(next - 1, applied, reconciliations);
  }

  /**
   * One change and the state, in one guarded transaction (a removal: see {@link Removal}); returns
   * its revision.
   */
  private long apply(
      V2Event event, Bookkeeping.State state, long stateRevision, Revisions followed) {
    List<Change> changes = EventChanges.of(event, prefix, writer);
    String text = Bookkeeping.encode("copied", state.run(), event.index(), followed);
    if (changes.size() == 1 && !changes.get(0).isWrite()) {
      // state.wrote() sees followed, which holds every earlier follow transaction's revision
      return new Removal(writer, books, listener)
          .apply(changes.get(0), event.index(), state, stateRevision, text);
    }
    Map<Long, Long> leases = new HashMap<>();
    for (Change change : changes) {
      if (change.ttl() > 0 && !leases.containsKey(change.ttl())) {
        leases.put(change.ttl(), Await.result(writer.grantLease(change.ttl())));
      }
    }
    List<V3Write> writes = new ArrayList<>(changes.size() + 1);
    for (Change change : changes) {
      writes.add(change.toWrite(leases));
    }
    writes.add(new V3Write.Put(books.stateKey(), text.getBytes(UTF_8), 0));
    V3TxnResult result =
        Await.result(writer.txn(List.of(new V3Guard(books.stateKey(), stateRevision)), writes));
    if (!result.succeeded()) {
      throw new MigrationConflictException(
          "the migration state '"
              + books.stateKey()
              + "' changed while following (v2 index "
              + event.index()
              + " not applied): another migration of this target runs");
    }
    return result.revision();
  }

  private void pause(long millis) {
    try {
      stopped.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopped.countDown();
    }
  }
}
