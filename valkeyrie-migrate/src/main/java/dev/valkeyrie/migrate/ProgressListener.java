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
}
