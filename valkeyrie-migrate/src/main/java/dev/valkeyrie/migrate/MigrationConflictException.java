package dev.valkeyrie.migrate;

import dev.valkeyrie.store.StoreException;

/**
 * The migration's bookkeeping in v3 changed under it: another migration of the same target runs, or
 * ran meanwhile. The write it guarded was not applied; run one migration at a time.
 */
public final class MigrationConflictException extends StoreException {
  private static final long serialVersionUID = 1L;

  MigrationConflictException(String message) {
    super(message);
  }
}
