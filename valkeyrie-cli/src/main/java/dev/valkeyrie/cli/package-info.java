/** The {@code valkeyrie} command: every Store call from a shell (picocli). */
@NullMarked
package dev.valkeyrie.cli;

import org.jspecify.annotations.NullMarked;
