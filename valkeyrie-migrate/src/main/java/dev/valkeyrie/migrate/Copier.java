package dev.valkeyrie.migrate;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.valkeyrie.etcdv3.migration.V3Guard;
import dev.valkeyrie.etcdv3.migration.V3TxnResult;
import dev.valkeyrie.etcdv3.migration.V3Write;
import dev.valkeyrie.etcdv3.migration.V3Writer;
import dev.valkeyrie.store.StoreException;
import dev.valkeyrie.store.spi.Ticker;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Carries out a {@link Plan}: the state marked {@code copying}, one lease per remaining TTL, the
 * batches as transactions with {@link #IN_FLIGHT} of them in flight at once (their keys are
 * distinct, so their order does not matter), each with its batch record, and the state marked
 * {@code copied} at the snapshot's index.
 */
final class Copier {
  /** Transactions in flight at once: etcd commits them together in fewer raft rounds. */
  static final int IN_FLIGHT = 8;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final V3Writer writer;
  private final Bookkeeping books;
  private final ProgressListener listener;
  private final Ticker ticker;

  Copier(V3Writer writer, Bookkeeping books, ProgressListener listener, Ticker ticker) {
    this.writer = writer;
    this.books = books;
    this.listener = listener;
    this.ticker = ticker;
  }

  /**
   * Writes the plan and returns the state it leaves. On failure some batches may be written: a copy
   * run again finishes the work (it plans from what v3 then holds).
   */
  Bookkeeping.State run(Plan plan, Bookkeeping.State state) {
    long start = ticker.read();
    String run = Long.toHexString(RANDOM.nextLong() & Long.MAX_VALUE);
    Revisions followed = state.followed();
    if (state.exists()) {
      followed.add(state.stateRevision());
    }
    long begin =
        writeState(state.stateRevision(), state.encode("copying", run, state.index(), followed));
    Map<Long, Long> leases = grantLeases(plan);
    long total = plan.changes.size();
    AtomicLong written = new AtomicLong();
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    Semaphore permits = new Semaphore(IN_FLIGHT);
    long sequence = 0;
    for (List<Change> batch : plan.batches) {
      permits.acquireUninterruptibly();
      if (failure.get() != null || Thread.currentThread().isInterrupted()) {
        permits.release();
        break;
      }
      List<V3Write> writes = new ArrayList<>(batch.size() + 1);
      for (Change change : batch) {
        writes.add(change.toWrite(leases));
      }
      writes.add(new V3Write.Put(books.batchKey(run, sequence++), new byte[0], 0));
      CompletableFuture<V3TxnResult> txn;
      try {
        txn = writer.txn(List.of(), writes);
      } catch (RuntimeException e) {
        failure.compareAndSet(null, e);
        permits.release();
        break;
      }
      var unused =
          txn.whenComplete(
              (result, e) -> {
                if (e != null) {
                  failure.compareAndSet(null, Await.unwrap(e));
                } else {
                  written.addAndGet(batch.size());
                }
                permits.release();
              });
      listener.onProgress(
          new Progress(
              Progress.Phase.COPYING, written.get(), total, since(start), plan.source.index));
    }
    permits.acquireUninterruptibly(IN_FLIGHT);
    if (failure.get() != null) {
      throw failure.get();
    }
    if (Thread.currentThread().isInterrupted()) {
      throw new StoreException(
          "the copy was interrupted after writing "
              + written.get()
              + " of "
              + total
              + " keys; run it again to finish");
    }
    followed.add(begin);
    String text = state.encode("copied", run, plan.source.index, followed);
    long end = writeState(begin, text);
    listener.onProgress(
        new Progress(Progress.Phase.COPYING, total, total, since(start), plan.source.index));
    return new Bookkeeping.State(
        "copied", run, plan.source.index, followed, end, state.batchRevisions());
  }

  private long writeState(long expected, String text) {
    V3TxnResult result =
        Await.result(
            writer.txn(
                List.of(new V3Guard(books.stateKey(), expected)),
                List.of(new V3Write.Put(books.stateKey(), text.getBytes(UTF_8), 0))));
    if (!result.succeeded()) {
      throw new MigrationConflictException(
          "the migration state '"
              + books.stateKey()
              + "' changed since it was read: another migration of this target runs");
    }
    return result.revision();
  }

  private Map<Long, Long> grantLeases(Plan plan) {
    Map<Long, CompletableFuture<Long>> pending = new HashMap<>();
    for (long ttl : plan.ttls) {
      pending.put(ttl, writer.grantLease(ttl));
    }
    Map<Long, Long> leases = new HashMap<>();
    pending.forEach((ttl, lease) -> leases.put(ttl, Await.result(lease)));
    return leases;
  }

  private Duration since(long start) {
    return Duration.ofNanos(ticker.read() - start);
  }
}
