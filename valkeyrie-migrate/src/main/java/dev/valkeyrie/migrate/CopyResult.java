package dev.valkeyrie.migrate;

import java.time.Duration;

/**
 * What {@link Migration#copy()} did.
 *
 * @param plan what it wrote: the plan it carried out
 * @param revision the v3 revision after its last write
 * @param elapsed how long it took, reads included
 */
public record CopyResult(MigrationPlan plan, long revision, Duration elapsed) {

  /** Keys written per second. */
  public double keysPerSecond() {
    long nanos = elapsed.toNanos();
    return nanos <= 0 ? 0 : plan.puts() * 1e9 / nanos;
  }
}
