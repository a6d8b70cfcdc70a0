package dev.valkeyrie.etcdv3;

import com.google.protobuf.ByteString;
import dev.valkeyrie.store.KVPair;
import java.util.AbstractList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.jspecify.annotations.Nullable;

/**
 * A tree watch's view of its directory: an immutable sorted map from etcd key bytes to the entry
 * (its pair and the lease it is attached to), in etcd's order (unsigned bytes, as {@code list}
 * returns entries). A persistent AVL tree: {@link #with} and {@link #without} copy only the path
 * they change (O(log n)), so the listing handed to a consumer ({@link #asList()}) costs nothing to
 * make and stays valid while the watch moves on. A snapshot per delivered update is thus free, and
 * snapshots that a slow consumer never takes are dropped without ever having been copied.
 *
 * <p>Immutable and thread-safe.
 */
final class Listing {
  /** etcd's key order. */
  static final Comparator<ByteString> ORDER = ByteString.unsignedLexicographicalComparator();

  static final Listing EMPTY = new Listing(null);

  private final @Nullable Node root;

  /** One entry. */
  static final class Node {
    final ByteString key;
    final KVPair pair;
    final long lease;
    final @Nullable Node left;
    final @Nullable Node right;
    final int height;
    final int size;

    Node(ByteString key, KVPair pair, long lease, @Nullable Node left, @Nullable Node right) {
      this.key = key;
      this.pair = pair;
      this.lease = lease;
      this.left = left;
      this.right = right;
      this.height = Math.max(height(left), height(right)) + 1;
      this.size = size(left) + size(right) + 1;
    }
  }

  private Listing(@Nullable Node root) {
    this.root = root;
  }

  int size() {
    return size(root);
  }

  boolean isEmpty() {
    return root == null;
  }

  /** The tree's height (for tests: an AVL tree of n entries is at most ~1.44 log2 n high). */
  int height() {
    return height(root);
  }

  /** The entry of {@code key}, or {@code null}. */
  @Nullable Node find(ByteString key) {
    Node n = root;
    while (n != null) {
      int c = ORDER.compare(key, n.key);
      if (c == 0) {
        return n;
      }
      n = c < 0 ? n.left : n.right;
    }
    return null;
  }

  /** This listing with {@code key} set to {@code pair} on {@code lease} (0: none). */
  Listing with(ByteString key, KVPair pair, long lease) {
    return new Listing(insert(root, key, pair, lease));
  }

  /** This listing without {@code key}; itself if the key is not in it. */
  Listing without(ByteString key) {
    Node changed = delete(root, key);
    return changed == root ? this : new Listing(changed);
  }

  /** The pairs in key order, as an immutable list that never changes. */
  List<KVPair> asList() {
    return root == null ? List.of() : new Snapshot(root);
  }

  /** The entries in key order. */
  Iterator<Node> iterator() {
    return new InOrder(root);
  }

  /** A listing of entries already in etcd's order (as a range read returns them). */
  static Listing ofSorted(List<Node> sorted) {
    return new Listing(build(sorted, 0, sorted.size()));
  }

  /** A leaf, for {@link #ofSorted}. */
  static Node entry(ByteString key, KVPair pair, long lease) {
    return new Node(key, pair, lease, null, null);
  }

  private static @Nullable Node build(List<Node> sorted, int from, int to) {
    if (from >= to) {
      return null;
    }
    int mid = (from + to) >>> 1;
    Node n = sorted.get(mid);
    return new Node(n.key, n.pair, n.lease, build(sorted, from, mid), build(sorted, mid + 1, to));
  }

  private static Node insert(@Nullable Node n, ByteString key, KVPair pair, long lease) {
    if (n == null) {
      return new Node(key, pair, lease, null, null);
    }
    int c = ORDER.compare(key, n.key);
    if (c == 0) {
      return new Node(n.key, pair, lease, n.left, n.right);
    }
    if (c < 0) {
      return balance(n, insert(n.left, key, pair, lease), n.right);
    }
    return balance(n, n.left, insert(n.right, key, pair, lease));
  }

  private static @Nullable Node delete(@Nullable Node n, ByteString key) {
    if (n == null) {
      return null;
    }
    int c = ORDER.compare(key, n.key);
    if (c < 0) {
      Node left = delete(n.left, key);
      return left == n.left ? n : balance(n, left, n.right);
    }
    if (c > 0) {
      Node right = delete(n.right, key);
      return right == n.right ? n : balance(n, n.left, right);
    }
    if (n.left == null) {
      return n.right;
    }
    if (n.right == null) {
      return n.left;
    }
    Node min = n.right;
    while (min.left != null) {
      min = min.left;
    }
    return balance(min, n.left, deleteMin(n.right));
  }

  private static @Nullable Node deleteMin(Node n) {
    if (n.left == null) {
      return n.right;
    }
    return balance(n, deleteMin(n.left), n.right);
  }

  /** A node with {@code entry}'s content over the given children, rebalanced (AVL). */
  private static Node balance(Node entry, @Nullable Node left, @Nullable Node right) {
    int hl = height(left);
    int hr = height(right);
    // A side two taller than the other is not empty (height(null) is 0); the null checks only
    // say so to NullAway.
    if (left != null && hl > hr + 1) {
      Node l = left;
      Node lr = l.right;
      if (lr == null || height(l.left) >= height(lr)) {
        return node(l, l.left, node(entry, lr, right));
      }
      return node(lr, node(l, l.left, lr.left), node(entry, lr.right, right));
    }
    if (right != null && hr > hl + 1) {
      Node r = right;
      Node rl = r.left;
      if (rl == null || height(r.right) >= height(rl)) {
        return node(r, node(entry, left, rl), r.right);
      }
      return node(rl, node(entry, left, rl.left), node(r, rl.right, r.right));
    }
    return node(entry, left, right);
  }

  private static Node node(Node entry, @Nullable Node left, @Nullable Node right) {
    if (entry.left == left && entry.right == right) {
      return entry;
    }
    return new Node(entry.key, entry.pair, entry.lease, left, right);
  }

  private static int height(@Nullable Node n) {
    return n == null ? 0 : n.height;
  }

  private static int size(@Nullable Node n) {
    return n == null ? 0 : n.size;
  }

  /** In-order iteration with an explicit stack (the height is at most ~1.44 log2 n). */
  private static final class InOrder implements Iterator<Node> {
    private final Node[] stack;
    private int depth;

    InOrder(@Nullable Node root) {
      stack = new Node[height(root) + 1];
      push(root);
    }

    private void push(@Nullable Node n) {
      while (n != null) {
        stack[depth++] = n;
        n = n.left;
      }
    }

    @Override
    public boolean hasNext() {
      return depth > 0;
    }

    @Override
    public Node next() {
      if (depth == 0) {
        throw new NoSuchElementException();
      }
      Node n = stack[--depth];
      stack[depth] = null;
      push(n.right);
      return n;
    }
  }

  /** An immutable list view of one version of the tree. */
  private static final class Snapshot extends AbstractList<KVPair> {
    private final Node root;

    Snapshot(Node root) {
      this.root = root;
    }

    @Override
    public KVPair get(int index) {
      if (index < 0 || index >= root.size) {
        throw new IndexOutOfBoundsException("index " + index + " of " + root.size);
      }
      @Nullable Node n = root;
      int i = index;
      while (n != null) {
        int left = Listing.size(n.left);
        if (i < left) {
          n = n.left;
        } else if (i == left) {
          return n.pair;
        } else {
          i -= left + 1;
          n = n.right;
        }
      }
      // Every node's size counts its children, so an index below root.size finds its node.
      throw new IllegalStateException("listing tree sizes are inconsistent at index " + index);
    }

    @Override
    public int size() {
      return root.size;
    }

    @Override
    public Iterator<KVPair> iterator() {
      InOrder nodes = new InOrder(root);
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return nodes.hasNext();
        }

        @Override
        public KVPair next() {
          return nodes.next().pair;
        }
      };
    }
  }
}
