package dev.valkeyrie.etcdv2.migration;

/**
 * One change from a recursive long poll.
 *
 * @param action set, create, update, compareAndSwap, delete, compareAndDelete or expire
 * @param node the node after the change (for removals: its key, index and whether it was a
 *     directory); its {@code modifiedIndex} is the change's index
 */
public record V2Event(String action, V2Node node) {

  /** The change's index. */
  public long index() {
    return node.modifiedIndex();
  }

  /** Whether the change removed the node (and, for a directory, everything below it). */
  public boolean isRemoval() {
    return action.equals("delete") || action.equals("compareAndDelete") || action.equals("expire");
  }
}
