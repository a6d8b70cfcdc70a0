/** The Java tour of the API that {@code bin/quickstart} runs. */
@NullMarked
package dev.valkeyrie.examples;

import org.jspecify.annotations.NullMarked;
