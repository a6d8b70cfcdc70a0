/** Time that moves only when a test says so: {@link dev.valkeyrie.testsuite.time.ManualClock}. */
@NullMarked
package dev.valkeyrie.testsuite.time;

import org.jspecify.annotations.NullMarked;
