/**
 * Linearizability testing of a {@link dev.valkeyrie.store.Store}: {@link
 * dev.valkeyrie.testsuite.linearizability.LinearizabilityRun} runs concurrent clients (optionally
 * while a fault action breaks the cluster) and records every call, and {@link
 * dev.valkeyrie.testsuite.linearizability.LinearizabilityChecker} decides whether the recorded
 * history is linearizable. Only {@link
 * dev.valkeyrie.testsuite.linearizability.Verdict#LINEARIZABLE} is a pass; {@link
 * dev.valkeyrie.testsuite.linearizability.Verdict#INCONCLUSIVE} is a failure.
 */
@NullMarked
package dev.valkeyrie.testsuite.linearizability;

import org.jspecify.annotations.NullMarked;
