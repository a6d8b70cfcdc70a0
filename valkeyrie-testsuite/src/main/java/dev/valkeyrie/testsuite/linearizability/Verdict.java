package dev.valkeyrie.testsuite.linearizability;

/**
 * What the linearizability check concluded about a history (or one key of it).
 *
 * <p>Only {@link #LINEARIZABLE} is a pass. {@link #INCONCLUSIVE} means the search gave up at its
 * step limit before deciding: a test must treat it as a failure, never as a pass, because a history
 * that is too hard to check proves nothing.
 */
public enum Verdict {
  /** Some order of the operations, consistent with real time, explains every result. */
  LINEARIZABLE,
  /** No such order exists: the store broke linearizability (the explanation says where). */
  NOT_LINEARIZABLE,
  /** The search hit its step limit before finding an order or ruling all out. Not a pass. */
  INCONCLUSIVE
}
