package dev.valkeyrie.migrate;

import java.time.Duration;
import java.util.Optional;

/**
 * One step of a migration, as reported to a {@link ProgressListener}.
 *
 * @param phase what the migration is doing
 * @param done keys written so far in a copy; changes applied so far while following
 * @param total keys to write in a copy (known once it is planned); 0 while following
 * @param elapsed time since the phase began
 * @param index the v2 index the copy's snapshot was taken at, or the last change applied
 */
public record Progress(Phase phase, long done, long total, Duration elapsed, long index) {

  /** What a migration is doing. */
  public enum Phase {
    /** Reading the v2 tree and the v3 target, and comparing them. */
    READING,
    /** Writing the copy to v3. */
    COPYING,
    /** Applying v2 changes to v3 one by one. */
    FOLLOWING
  }

  /** Keys (or changes) per second so far. */
  public double perSecond() {
    long nanos = elapsed.toNanos();
    return nanos <= 0 ? 0 : done * 1e9 / nanos;
  }

  /** At the rate so far, how long the rest of a copy will take; empty when unknown. */
  public Optional<Duration> remaining() {
    double rate = perSecond();
    if (total <= 0 || rate <= 0 || phase != Phase.COPYING) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofMillis((long) ((total - done) * 1000 / rate)));
  }
}
