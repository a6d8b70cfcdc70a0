/**
 * The v2-to-v3 migration: {@link dev.valkeyrie.migrate.Migration} copies a v2 tree into the v3 key
 * space, follows its changes, compares both sides, and plans a copy without writing. Everything but
 * the facade, its value types and exceptions is package-private.
 */
@NullMarked
package dev.valkeyrie.migrate;

import org.jspecify.annotations.NullMarked;
