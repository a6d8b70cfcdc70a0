package dev.valkeyrie.cli;

/** The {@code -o} option: text for people, or one JSON object per line for scripts. */
enum OutputFormat {
  PLAIN,
  JSON;

  @Override
  public String toString() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
