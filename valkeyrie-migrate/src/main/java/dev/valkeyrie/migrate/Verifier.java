package dev.valkeyrie.migrate;

import dev.valkeyrie.etcdv3.migration.V3Entry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Compares v2's tree with v3's target range key by key: names, values, which keys have a TTL. */
final class Verifier {
  private Verifier() {}

  static boolean sameValue(SourceEntry source, V3Entry target) {
    return Arrays.equals(source.value(), target.value());
  }

  static Verification compare(SourceTree source, TargetView target) {
    List<Difference> differences = new ArrayList<>();
    Set<String> names = new HashSet<>(source.entries.keySet());
    names.addAll(target.entries.keySet());
    for (SourceEntry entry : source.entries.values()) {
      V3Entry current = target.entries.get(entry.key());
      if (current == null) {
        differences.add(
            new Difference(
                entry.key(),
                Difference.Kind.MISSING_IN_TARGET,
                (entry.dir() ? "a directory" : describe(entry.value().length)) + " in v2 only"));
      } else if (!sameValue(entry, current)) {
        differences.add(
            new Difference(
                entry.key(),
                Difference.Kind.VALUE_DIFFERS,
                "v2: "
                    + (entry.dir() ? "a directory" : describe(entry.value().length))
                    + ", v3: "
                    + describe(current.value().length)));
      } else if ((entry.ttl() > 0) != (current.lease() != 0)) {
        differences.add(
            new Difference(
                entry.key(),
                Difference.Kind.TTL_DIFFERS,
                entry.ttl() > 0
                    ? "v2: TTL " + entry.ttl() + " s, v3: no lease"
                    : "v2: no TTL, v3: on lease " + Long.toHexString(current.lease())));
      }
    }
    for (V3Entry entry : target.entries.values()) {
      if (!source.entries.containsKey(entry.key())) {
        differences.add(
            new Difference(
                entry.key(),
                Difference.Kind.EXTRA_IN_TARGET,
                describe(entry.value().length) + " in v3 only"));
      }
    }
    for (String reason : source.notCopyable) {
      int colon = reason.indexOf(": ");
      String key = colon < 0 ? reason : reason.substring(0, colon);
      names.add(key);
      differences.add(
          new Difference(
              key, Difference.Kind.NOT_COPYABLE, colon < 0 ? "" : reason.substring(colon + 2)));
    }
    differences.sort(Comparator.comparing(Difference::key).thenComparing(Difference::kind));
    return new Verification(source.index, target.revision, names.size(), differences);
  }

  private static String describe(int bytes) {
    return "a value of " + bytes + " byte" + (bytes == 1 ? "" : "s");
  }
}
