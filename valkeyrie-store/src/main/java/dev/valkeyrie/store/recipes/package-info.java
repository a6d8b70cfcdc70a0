/**
 * Recipes built on the {@link dev.valkeyrie.store.Store} API alone, so they run on every backend:
 * leader election.
 */
@NullMarked
package dev.valkeyrie.store.recipes;

import org.jspecify.annotations.NullMarked;
