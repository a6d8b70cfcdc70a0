package dev.valkeyrie.migrate;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.valkeyrie.etcdv3.migration.V3Entry;
import dev.valkeyrie.etcdv3.migration.V3Range;
import dev.valkeyrie.etcdv3.migration.V3Writer;
import java.util.HashSet;
import java.util.Set;

/**
 * Where a migration keeps its state in v3, beside the target range: {@code
 * _valkeyrie_migrate/<target>/state} (phase, run, last applied v2 index, revisions written while
 * following) and one empty record {@code _valkeyrie_migrate/<target>/batch/<run>-<n>} per copy
 * transaction, written in that transaction, so that its {@code mod_revision} is the revision of
 * every key the transaction wrote. {@code <target>} is the prefix with {@code %} and {@code /}
 * percent-encoded ({@code %2F} for the whole tree), so every target has its own range.
 *
 * <p>A v2 key whose name starts with {@code _} is hidden from recursive reads and watches, so no
 * copied key can fall in {@code _valkeyrie_migrate/}, even when the target is the whole key space.
 */
final class Bookkeeping {
  static final String ROOT = "_valkeyrie_migrate";

  private final String base;

  Bookkeeping(String prefix) {
    this.base =
        ROOT + "/" + (prefix.isEmpty() ? "%2F" : prefix.replace("%", "%25").replace("/", "%2F"));
  }

  /** Whether a v3 key belongs to some migration's bookkeeping. */
  static boolean isBookkeeping(String key) {
    return key.equals(ROOT) || key.startsWith(ROOT + "/");
  }

  String base() {
    return base;
  }

  String stateKey() {
    return base + "/state";
  }

  String batchKey(String run, long sequence) {
    return base + "/batch/" + run + "-" + sequence;
  }

  /**
   * The state as last written, or an empty one when this target was never migrated into.
   *
   * @param phase {@code copying} (a copy began, maybe not finished), {@code copied} (a copy ended
   *     at {@code index}), or {@code ""} when there is no state
   * @param index the last v2 index applied (the copy's snapshot, then each change followed)
   * @param followed the revisions of the transactions written while following, before the last
   * @param stateRevision the state key's {@code mod_revision}, 0 when it does not exist: the last
   *     follow transaction's revision, and the guard of the next write
   * @param batchRevisions the revisions of the copy transactions (their batch records)
   */
  record State(
      String phase,
      String run,
      long index,
      Revisions followed,
      long stateRevision,
      Set<Long> batchRevisions) {

    boolean exists() {
      return stateRevision > 0;
    }

    boolean copied() {
      return phase.equals("copied");
    }

    /** Whether a key whose {@code mod_revision} is {@code revision} was written by a migration. */
    boolean wrote(long revision) {
      return batchRevisions.contains(revision)
          || followed.contains(revision)
          || revision == stateRevision;
    }

    String encode(String newPhase, String newRun, long newIndex, Revisions newFollowed) {
      return Bookkeeping.encode(newPhase, newRun, newIndex, newFollowed);
    }
  }

  static String encode(String phase, String run, long index, Revisions followed) {
    return "phase=" + phase + "\nrun=" + run + "\nindex=" + index + "\nfollowed=" + followed + "\n";
  }

  State read(V3Writer writer) {
    V3Range range = writer.readTree(base);
    String phase = "";
    String run = "";
    long index = 0;
    Revisions followed = new Revisions();
    long stateRevision = 0;
    Set<Long> batches = new HashSet<>();
    String state = stateKey();
    String batchPrefix = base + "/batch/";
    for (V3Entry entry : range.entries()) {
      if (entry.key().equals(state)) {
        stateRevision = entry.modRevision();
        for (String line : new String(entry.value(), UTF_8).split("\n", -1)) {
          int eq = line.indexOf('=');
          if (eq < 0) {
            continue;
          }
          String value = line.substring(eq + 1);
          switch (line.substring(0, eq)) {
            case "phase" -> phase = value;
            case "run" -> run = value;
            case "index" -> index = Long.parseLong(value);
            case "followed" -> followed = Revisions.parse(value);
            default -> {}
          }
        }
      } else if (entry.key().startsWith(batchPrefix)) {
        batches.add(entry.modRevision());
      }
    }
    return new State(phase, run, index, followed, stateRevision, batches);
  }
}
