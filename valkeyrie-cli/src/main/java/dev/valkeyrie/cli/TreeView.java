package dev.valkeyrie.cli;

import dev.valkeyrie.store.KVPair;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Renders a listing for {@code ls}: a tree (the default) or one line per entry ({@code --flat}).
 * Directories end with {@code /}; a directory is an entry with entries below it (the store's
 * listing does not say whether an empty entry is an empty directory or a key with an empty value,
 * so both show as a bare name). On etcd v3 a key may hold a value and have keys below it: it shows
 * as {@code name/ = value}. Values that are not UTF-8 show in {@link Values}' marked form.
 */
final class TreeView {
  /** Values longer than this many characters are cut in the tree. */
  static final int MAX_VALUE = 60;

  private TreeView() {}

  /** The tree of a listing of {@code directory}; no lines for an empty listing. */
  static List<String> tree(String directory, List<KVPair> entries) {
    List<String> lines = new ArrayList<>();
    if (entries.isEmpty()) {
      return lines;
    }
    String root = trimSlashes(directory);
    Node top = new Node(root.isEmpty() ? "" : root);
    for (KVPair p : entries) {
      String relative =
          root.isEmpty() || !p.key().startsWith(root + "/")
              ? p.key()
              : p.key().substring(root.length() + 1);
      Node node = top;
      for (String segment : relative.split("/", -1)) {
        node = node.children.computeIfAbsent(segment, Node::new);
      }
      node.value = p.value();
    }
    lines.add(root.isEmpty() ? "/" : root + "/");
    render(top, "", lines);
    return lines;
  }

  /**
   * One line per entry: {@code key = value}, {@code dir/} (or {@code dir/ = value}), or a bare key
   * for an empty entry.
   */
  static List<String> flat(List<KVPair> entries) {
    Set<String> dirs = directories(entries);
    List<String> lines = new ArrayList<>();
    for (KVPair p : entries) {
      String name = dirs.contains(p.key()) ? p.key() + "/" : p.key();
      lines.add(label(name, p.value(), Integer.MAX_VALUE));
    }
    return lines;
  }

  private static void render(Node parent, String indent, List<String> lines) {
    int left = parent.children.size();
    for (Node child : parent.children.values()) {
      boolean last = --left == 0;
      byte[] value = child.value == null ? new byte[0] : child.value;
      String label =
          label(child.children.isEmpty() ? child.name : child.name + "/", value, MAX_VALUE);
      lines.add(indent + (last ? "└── " : "├── ") + label);
      render(child, indent + (last ? "    " : "│   "), lines);
    }
  }

  private static String label(String name, byte[] value, int max) {
    return value.length == 0 ? name : name + " = " + Values.shown(value, max);
  }

  /** The keys of {@code listing} that have entries below them. */
  static Set<String> directories(List<KVPair> listing) {
    Set<String> dirs = new HashSet<>();
    for (KVPair p : listing) {
      String key = p.key();
      for (int slash = key.indexOf('/'); slash > 0; slash = key.indexOf('/', slash + 1)) {
        dirs.add(key.substring(0, slash));
      }
    }
    return dirs;
  }

  static String trimSlashes(String key) {
    int start = 0;
    int end = key.length();
    while (start < end && key.charAt(start) == '/') {
      start++;
    }
    while (end > start && key.charAt(end - 1) == '/') {
      end--;
    }
    return key.substring(start, end);
  }

  private static final class Node {
    final String name;
    final Map<String, Node> children = new LinkedHashMap<>();
    byte @Nullable [] value; // null for a directory

    Node(String name) {
      this.name = name;
    }
  }
}
