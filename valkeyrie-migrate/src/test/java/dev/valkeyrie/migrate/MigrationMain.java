package dev.valkeyrie.migrate;

import java.util.List;

/**
 * A migration in a JVM of its own, for the test that kills one: copies (unless a copy completed)
 * and follows, printing {@code applied <index>} after each change it applied.
 */
public final class MigrationMain {
  private MigrationMain() {}

  public static void main(String[] args) {
    try (Migration migration =
        Migration.builder()
            .source(List.of(args[0]), null)
            .target(List.of(args[1]), null)
            .prefix(args[2])
            .progress(
                p -> {
                  if (p.phase() == Progress.Phase.FOLLOWING) {
                    System.out.println("applied " + p.index());
                    System.out.flush();
                  }
                })
            .build()) {
      if (!migration.hasCompletedCopy()) {
        migration.copy();
      }
      System.out.println("following");
      System.out.flush();
      migration.follow();
    }
  }
}
