package dev.valkeyrie.etcdv3;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tells an expiry from a deletion. etcd shows a lease's expiry only as ordinary DELETE events of
 * its keys, all at one revision (pitfall 15), so: a deleted key that was attached to a lease was
 * deleted by the lease's end if {@code LeaseTimeToLive} says the lease is gone (TTL -1) and this
 * store did not revoke it itself ({@link Leases#revokedHere}: this store revokes the lease of a key
 * it wrote with a TTL right after deleting the key). A live lease means an explicit delete.
 *
 * <p>Asked once per lease and revision, whatever the number of keys and watches: every watch of the
 * store that sees that revision shares the answer. A failed question counts as a deletion (the
 * weaker claim). Thread-safe; answers complete on the store's callback threads.
 */
final class ExpiryCheck {
  private static final Logger LOG = System.getLogger(ExpiryCheck.class.getName());

  /** Answers kept for watches that see the same revision a little later. */
  private static final int REMEMBERED = 256;

  private record Question(long lease, long revision) {}

  private final Leases leases;
  private final AtomicInteger questions = new AtomicInteger();
  private final Map<Question, CompletableFuture<Boolean>> answers =
      new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Question, CompletableFuture<Boolean>> e) {
          return size() > REMEMBERED;
        }
      };

  ExpiryCheck(Leases leases) {
    this.leases = leases;
  }

  /** How many LeaseTimeToLive questions were asked (for tests). */
  int questions() {
    return questions.get();
  }

  /**
   * Whether the keys of {@code lease} deleted at {@code revision} expired (true) or were deleted
   * (false); never fails.
   *
   * @param key the watched key or directory, for messages
   */
  CompletableFuture<Boolean> expired(long lease, long revision, String key) {
    Question question = new Question(lease, revision);
    CompletableFuture<Boolean> answer;
    synchronized (answers) {
      answer = answers.get(question);
      if (answer != null) {
        return answer;
      }
      answer = new CompletableFuture<>();
      answers.put(question, answer);
    }
    CompletableFuture<Boolean> result = answer;
    questions.incrementAndGet();
    try {
      var unused =
          leases
              .timeToLive(lease, false, Op.read("watch", key))
              .whenComplete(
                  (response, failure) -> {
                    if (failure != null) {
                      LOG.log(
                          Level.DEBUG,
                          () ->
                              "watch '"
                                  + key
                                  + "': could not ask whether lease "
                                  + Long.toHexString(lease)
                                  + " is gone ("
                                  + Errors.describe(Errors.unwrap(failure))
                                  + "); its keys deleted at revision "
                                  + revision
                                  + " count as deleted");
                      result.complete(false);
                      return;
                    }
                    result.complete(response.getTTL() < 0 && !leases.revokedHere(lease));
                  });
    } catch (RuntimeException e) {
      result.complete(false); // the store is closing
    }
    return result;
  }
}
