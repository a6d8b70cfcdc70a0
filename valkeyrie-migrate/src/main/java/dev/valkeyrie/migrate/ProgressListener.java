package dev.valkeyrie.migrate;

/**
 * Hears each step of a migration, in the thread that runs it. It must return quickly: the migration
 * waits for it.
 */
@FunctionalInterface
public interface ProgressListener {

  /** Ignores everything. */
  ProgressListener NONE = progress -> {};

  void onProgress(Progress progress);

  /**
   * A key v2 removed while following that the migration left in v3 because it did not write it (it
   * was written in v3 directly): it stays, and {@link Migration#verify()} lists it as {@link
   * Difference.Kind#EXTRA_IN_TARGET}. Ignored by default.
   */
  default void onForeignKeyKept(Difference kept) {}
}
