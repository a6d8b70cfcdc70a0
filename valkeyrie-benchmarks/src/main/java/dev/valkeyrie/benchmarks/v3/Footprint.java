package dev.valkeyrie.benchmarks.v3;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The jars a client pulls in: the transitive closure of one artifact in this module's dependency
 * tree ({@code mvn dependency:tree -Dverbose}, which the build writes to {@code
 * target/dependency-tree.txt}), with the sizes of the files on the run's class path. Versions are
 * those this module resolves (after its dependencyManagement), i.e. the jars the probe ran on.
 */
final class Footprint {

  /** One client's closure. */
  record Jars(String root, List<String> artifacts, long bytes, List<String> missing) {
    int count() {
      return artifacts.size();
    }
  }

  /** A node of the tree: groupId:artifactId[:classifier], version, scope. */
  private record Node(
      String key,
      String artifactId,
      String classifier,
      String version,
      String scope,
      boolean omitted,
      boolean conflict,
      List<Node> children) {}

  private final Map<String, Node> expanded = new HashMap<>();
  private final Map<String, Path> files = new HashMap<>();

  /**
   * @param tree the verbose dependency tree
   * @param classPath the run's class path entries (jars, or a reactor module's classes folder)
   */
  Footprint(Path tree, List<String> classPath) throws IOException {
    parse(Files.readAllLines(tree));
    for (String entry : classPath) {
      if (entry.isBlank()) {
        continue;
      }
      Path path = Path.of(entry);
      String name = path.getFileName().toString();
      if (Files.isDirectory(path)
          && path.getParent() != null
          && path.getParent().getFileName().toString().equals("target")
          && path.getParent().getParent() != null) {
        // A reactor module's target/classes: its jar sits beside it once packaged.
        String module = path.getParent().getParent().getFileName().toString();
        files.putIfAbsent("dir:" + module, path);
      } else {
        files.putIfAbsent(name, path);
      }
    }
  }

  /** The closure of {@code groupId:artifactId}, itself included, minus {@code exclude}. */
  Jars of(String root, Set<String> exclude) {
    Node start = expanded.get(root);
    if (start == null) {
      throw new IllegalArgumentException(root + " is not in the dependency tree");
    }
    Map<String, Node> closure = new LinkedHashMap<>();
    collect(start, closure, exclude);
    long bytes = 0;
    List<String> artifacts = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (Node node : closure.values()) {
      artifacts.add(node.key() + ":" + node.version());
      Path file = file(node);
      if (file == null) {
        missing.add(node.key());
      } else {
        bytes += size(file);
      }
    }
    return new Jars(root, artifacts, bytes, missing);
  }

  private void collect(Node node, Map<String, Node> closure, Set<String> exclude) {
    if (node.conflict()
        || exclude.contains(node.key())
        || closure.containsKey(node.key())
        || !(node.scope().equals("compile") || node.scope().equals("runtime"))) {
      return;
    }
    closure.put(node.key(), node);
    // An "omitted for duplicate" node has no children in the tree: take them from the place
    // where the same artifact is expanded.
    Node full = node.omitted() ? expanded.getOrDefault(node.key(), node) : node;
    for (Node child : full.children()) {
      collect(child, closure, exclude);
    }
  }

  private Path file(Node node) {
    String name =
        node.artifactId()
            + "-"
            + node.version()
            + (node.classifier().isEmpty() ? "" : "-" + node.classifier())
            + ".jar";
    Path jar = files.get(name);
    if (jar != null) {
      return jar;
    }
    Path classes = files.get("dir:" + node.artifactId());
    if (classes != null) {
      Path packaged = classes.getParent().resolve(name);
      return Files.isRegularFile(packaged) ? packaged : classes;
    }
    return null;
  }

  private static long size(Path path) {
    try {
      if (Files.isRegularFile(path)) {
        return Files.size(path);
      }
      try (Stream<Path> walk = Files.walk(path)) {
        return walk.filter(Files::isRegularFile)
            .mapToLong(
                p -> {
                  try {
                    return Files.size(p);
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                })
            .sum();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // Lines look like "|  +- (g:a:jar:1.0:compile - version managed from 0.9; omitted for
  // duplicate)" or "\- g:a:jar:classifier:1.0:runtime (version managed from 0.9)"; three
  // characters per level, the root without any prefix and without a scope.
  private void parse(List<String> lines) {
    List<Node> stack = new ArrayList<>();
    for (String line : lines) {
      if (line.isBlank()) {
        continue;
      }
      int at = 0;
      while (at < line.length() && "|+\\- ".indexOf(line.charAt(at)) >= 0) {
        at++;
      }
      int depth = at / 3;
      String text = line.substring(at);
      boolean omitted = text.startsWith("(");
      if (omitted) {
        text = text.substring(1);
      }
      boolean conflict = omitted && text.contains("omitted for conflict");
      String coordinates = text.split("[ )]", 2)[0];
      String[] parts = coordinates.split(":", -1);
      Node node;
      if (parts.length == 4) {
        node =
            new Node(
                parts[0] + ":" + parts[1],
                parts[1],
                "",
                parts[3],
                "compile",
                false,
                false,
                new ArrayList<>());
      } else if (parts.length == 5) {
        node =
            new Node(
                parts[0] + ":" + parts[1],
                parts[1],
                "",
                parts[3],
                parts[4],
                omitted,
                conflict,
                new ArrayList<>());
      } else if (parts.length == 6) {
        node =
            new Node(
                parts[0] + ":" + parts[1] + ":" + parts[3],
                parts[1],
                parts[3],
                parts[4],
                parts[5],
                omitted,
                conflict,
                new ArrayList<>());
      } else {
        throw new IllegalArgumentException("unexpected dependency tree line: " + line);
      }
      while (stack.size() > depth) {
        stack.remove(stack.size() - 1);
      }
      if (!stack.isEmpty()) {
        stack.get(stack.size() - 1).children().add(node);
      }
      stack.add(node);
      if (!omitted) {
        expanded.putIfAbsent(node.key(), node);
      }
    }
  }

  /** Artifacts in both closures. */
  static Set<String> shared(Jars a, Jars b) {
    Set<String> both = new LinkedHashSet<>(a.artifacts());
    both.retainAll(b.artifacts());
    return both;
  }
}
