package dev.valkeyrie.migrate;

import java.util.List;

/**
 * What a copy would do now ({@link Migration#dryRun()}), or what one did ({@link CopyResult}).
 *
 * @param index the v2 index of the snapshot
 * @param sourceKeys keys and directories in v2's tree (lock side keys left out)
 * @param puts keys to write (new or different in v3)
 * @param deletes keys this migration wrote to v3 that v2 no longer has
 * @param unchanged keys v3 already holds as v2 does
 * @param ttlKeys keys among the puts that get a lease
 * @param leases leases to grant (one per remaining TTL)
 * @param transactions v3 transactions the writes go in
 * @param bytes the size of those transactions, roughly
 * @param foreignKeys keys in the target range this migration did not write (a copy refuses to start
 *     over them unless told to merge)
 * @param notCopyable keys v2 holds that v3 cannot take (name or size), with the reason
 */
public record MigrationPlan(
    long index,
    long sourceKeys,
    long puts,
    long deletes,
    long unchanged,
    long ttlKeys,
    long leases,
    long transactions,
    long bytes,
    long foreignKeys,
    List<String> notCopyable) {

  public MigrationPlan {
    notCopyable = List.copyOf(notCopyable);
  }
}
