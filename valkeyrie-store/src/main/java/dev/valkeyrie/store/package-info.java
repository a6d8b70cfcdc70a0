/**
 * The Store API: one small, uniform API over distributed key/value stores. JDK only.
 *
 * <p>Nothing here returns or accepts {@code null} unless marked {@code @Nullable}; options
 * arguments may always be {@code null}, meaning the defaults.
 */
@NullMarked
package dev.valkeyrie.store;

import org.jspecify.annotations.NullMarked;
